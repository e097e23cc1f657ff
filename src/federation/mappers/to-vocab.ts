import { Create, Link, Mention, Note, Page, PUBLIC_COLLECTION, Source } from "@fedify/vocab";
import { textToHtml } from "../../lib/html.ts";
import { toInstant } from "../../lib/temporal.ts";
import { createActivityId } from "../../services/urls.ts";

// Domain rows → ActivityPub objects. Only this folder speaks the wire vocabulary.

export interface PostForWire {
  readonly apId: string;
  readonly title: string;
  readonly content: string | null;
  readonly url: string | null;
  readonly authorApId: string;
  readonly authorFollowersUrl: string | null;
  readonly submoltApId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CommentForWire {
  readonly apId: string;
  readonly content: string;
  readonly inReplyTo: string;
  /** Who wrote what it replies to: named and cc'd when the post is in no submolt. */
  readonly inReplyToAuthorApId?: string;
  readonly authorApId: string;
  /** Null under a person's own post (in no submolt): then it is addressed to that person. */
  readonly submoltApId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const EXCERPT_LENGTH = 280;

/**
 * A post as a FEP-1b12 `Page`: `name` is the title, `content` HTML with the markdown in `source`,
 * a plain `summary` excerpt (Mastodon shows a Page as title + summary + link), the link of a link
 * post as the first `attachment`, addressed to the submolt and the public.
 */
export function toPage(post: PostForWire): Page {
  const text = post.content ?? "";
  return new Page({
    id: new URL(post.apId),
    attribution: new URL(post.authorApId),
    name: post.title,
    content: textToHtml(text),
    mediaType: "text/html",
    source: new Source({ content: text, mediaType: "text/markdown" }),
    summary: excerpt(text),
    url: new URL(post.apId),
    attachments: post.url === null ? [] : [new Link({ href: new URL(post.url) })],
    audience: new URL(post.submoltApId),
    tos: [new URL(post.submoltApId), PUBLIC_COLLECTION],
    ccs: post.authorFollowersUrl === null ? [] : [new URL(post.authorFollowersUrl)],
    published: toInstant(post.createdAt),
    ...(post.updatedAt === post.createdAt ? {} : { updated: toInstant(post.updatedAt) }),
  });
}

/** A comment as a `Note` replying to its post or parent comment, in the submolt's audience. */
export function toNote(comment: CommentForWire): Note {
  return new Note({
    id: new URL(comment.apId),
    attribution: new URL(comment.authorApId),
    content: textToHtml(comment.content),
    mediaType: "text/html",
    source: new Source({ content: comment.content, mediaType: "text/markdown" }),
    replyTarget: new URL(comment.inReplyTo),
    url: new URL(comment.apId),
    ...commentAddressing(comment),
    published: toInstant(comment.createdAt),
    ...(comment.updatedAt === comment.createdAt ? {} : { updated: toInstant(comment.updatedAt) }),
  });
}

/**
 * The Create that published a local post: to the submolt and the public, cc the author's
 * followers. Its id is dereferenceable, so a submolt can relay it by URL (FEP-1b12).
 */
export function toPostCreate(post: PostForWire): Create {
  return new Create({
    id: new URL(createActivityId(post.apId)),
    actor: new URL(post.authorApId),
    object: toPage(post),
    tos: [new URL(post.submoltApId), PUBLIC_COLLECTION],
    ccs: post.authorFollowersUrl === null ? [] : [new URL(post.authorFollowersUrl)],
    audience: new URL(post.submoltApId),
    published: toInstant(post.createdAt),
  });
}

/** The Create that published a local comment, in its submolt's audience. */
export function toCommentCreate(comment: CommentForWire): Create {
  return new Create({
    id: new URL(createActivityId(comment.apId)),
    actor: new URL(comment.authorApId),
    object: toNote(comment),
    ...commentAddressing(comment),
    published: toInstant(comment.createdAt),
  });
}

/**
 * Public, cc the submolt (its audience); under a person's own post, cc and mention the author
 * replied to, as a Mastodon reply does.
 */
export function commentAddressing(comment: CommentForWire) {
  if (comment.submoltApId !== null) {
    const submolt = new URL(comment.submoltApId);
    return { tos: [PUBLIC_COLLECTION], ccs: [submolt], audience: submolt };
  }
  const replied =
    comment.inReplyToAuthorApId === undefined ? [] : [new URL(comment.inReplyToAuthorApId)];
  return {
    tos: [PUBLIC_COLLECTION],
    ccs: replied,
    tags: replied.map((href) => new Mention({ href })),
  };
}

function excerpt(text: string): string | null {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat === "") return null;
  return flat.length <= EXCERPT_LENGTH ? flat : `${flat.slice(0, EXCERPT_LENGTH - 1)}…`;
}
