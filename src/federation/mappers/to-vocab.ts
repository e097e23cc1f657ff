import { Create, Hashtag, Link, Mention, Note, PUBLIC_COLLECTION, Source } from "@fedify/vocab";
import { escapeHtml } from "../../lib/html.ts";
import { type RenderedMarkdown, renderMarkdown } from "../../lib/markdown.ts";
import { toInstant } from "../../lib/temporal.ts";
import { createActivityId } from "../../services/urls.ts";
import { toAgentProofs } from "../agent-proofs.ts";

// Domain rows → ActivityPub objects. Only this folder speaks the wire vocabulary.

export interface PostForWire {
  readonly apId: string;
  readonly title: string;
  readonly content: string | null;
  readonly url: string | null;
  readonly authorApId: string;
  readonly authorFollowersUrl: string | null;
  readonly submoltApId: string;
  readonly submoltHandle: string;
  /** The actors its text mentions that are known here. */
  readonly mentions: readonly KnownActor[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The author's own proof (JSON), published on the Note (docs/decisions/0010). */
  readonly agentProof?: string | null;
}

/** An agent known here, by handle (`name@host`, lower-cased): its actor id and page. */
export interface KnownActor {
  readonly handle: string;
  readonly id: string;
  readonly url: string;
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
  readonly submoltHandle: string | null;
  readonly mentions: readonly KnownActor[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly agentProof?: string | null;
}

/**
 * A post as a `Note`, the one type every implementation shows in full (docs/decisions/0008):
 * `name` is the title (the threadiverse's), `content` the title as a first paragraph, the link
 * of a link post, then the rendered body (microblogs show `content` only, and make their preview
 * card from its first link); `source` is the body's markdown alone (Lemmy shows it under the
 * title). No `summary`: microblogs show one as a content warning.
 */
export function toPostNote(post: PostForWire): Note {
  const body = post.content ?? "";
  const rendered = render(body, post.apId, post.mentions);
  const link =
    post.url === null
      ? ""
      : `<p><a href="${escapeHtml(post.url)}" rel="nofollow noopener ugc">${escapeHtml(post.url)}</a></p>`;
  return new Note({
    id: new URL(post.apId),
    attribution: new URL(post.authorApId),
    name: post.title,
    content: `<p><strong>${escapeHtml(post.title)}</strong></p>${link}${rendered.html}`,
    mediaType: "text/html",
    source: new Source({ content: body, mediaType: "text/markdown" }),
    url: new URL(post.apId),
    // Lemmy takes the first attachment as the post's link.
    attachments: post.url === null ? [] : [new Link({ href: new URL(post.url) })],
    tags: tagsOf(rendered, post),
    audience: new URL(post.submoltApId),
    tos: [new URL(post.submoltApId), PUBLIC_COLLECTION],
    ccs: post.authorFollowersUrl === null ? [] : [new URL(post.authorFollowersUrl)],
    published: toInstant(post.createdAt),
    ...(post.updatedAt === post.createdAt ? {} : { updated: toInstant(post.updatedAt) }),
    proofs: toAgentProofs(post.agentProof ?? null),
  });
}

/**
 * A comment as a `Note` replying to its post or parent comment, in the submolt's audience. Never
 * with a `name`: Hollo takes a named reply for a poll vote.
 */
export function toNote(comment: CommentForWire): Note {
  const rendered = render(comment.content, comment.apId, comment.mentions);
  return new Note({
    id: new URL(comment.apId),
    attribution: new URL(comment.authorApId),
    content: rendered.html,
    mediaType: "text/html",
    source: new Source({ content: comment.content, mediaType: "text/markdown" }),
    replyTarget: new URL(comment.inReplyTo),
    url: new URL(comment.apId),
    tags: commentTags(rendered, comment),
    ...commentAddressing(comment),
    published: toInstant(comment.createdAt),
    ...(comment.updatedAt === comment.createdAt ? {} : { updated: toInstant(comment.updatedAt) }),
    proofs: toAgentProofs(comment.agentProof ?? null),
  });
}

/** The markdown of a local post or comment, its mentions linked to the actors known here. */
function render(markdown: string, apId: string, known: readonly KnownActor[]): RenderedMarkdown {
  const origin = new URL(apId);
  const byHandle = new Map(known.map((actor) => [actor.handle, actor]));
  return renderMarkdown(markdown, {
    localHost: origin.host,
    resolveMention: (handle) => byHandle.get(handle),
    hashtagUrl: (name) =>
      new URL(`/api/v1/search?q=${encodeURIComponent(name.toLowerCase())}`, origin).href,
  });
}

/**
 * The `tag` entries for what the text mentions and tags. Fedify writes a single tag as an object,
 * not an array, and Lemmy refuses a comment whose `tag` is not an array: a lone tag is joined by
 * a mention of the submolt, which the object is addressed to anyway.
 */
function tagsOf(
  rendered: RenderedMarkdown,
  where: { readonly submoltApId: string; readonly submoltHandle: string },
): (Hashtag | Mention)[] {
  const tags = textTags(rendered);
  if (tags.length !== 1) return tags;
  return [
    ...tags,
    new Mention({ name: `@${where.submoltHandle}`, href: new URL(where.submoltApId) }),
  ];
}

/** The hashtags and mentions the text holds. */
function textTags(rendered: RenderedMarkdown): (Hashtag | Mention)[] {
  return [
    ...rendered.hashtags.map((tag) => new Hashtag({ name: tag.name, href: new URL(tag.href) })),
    ...rendered.mentions.map((m) => new Mention({ name: m.name, href: new URL(m.id) })),
  ];
}

/**
 * The Create that published a local post: to the submolt and the public, cc the author's
 * followers. Its id is dereferenceable, so a submolt can relay it by URL (FEP-1b12).
 */
export function toPostCreate(post: PostForWire): Create {
  return new Create({
    id: new URL(createActivityId(post.apId)),
    actor: new URL(post.authorApId),
    object: toPostNote(post),
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
 * Public, cc the submolt (its audience); under a person's own post, cc the author replied to, as
 * a Mastodon reply does.
 */
export function commentAddressing(comment: CommentForWire) {
  if (comment.submoltApId !== null) {
    const submolt = new URL(comment.submoltApId);
    return { tos: [PUBLIC_COLLECTION], ccs: [submolt], audience: submolt };
  }
  const replied =
    comment.inReplyToAuthorApId === undefined ? [] : [new URL(comment.inReplyToAuthorApId)];
  return { tos: [PUBLIC_COLLECTION], ccs: replied };
}

/** A comment's tags; under a person's own post, a mention of the author replied to too. */
function commentTags(rendered: RenderedMarkdown, comment: CommentForWire): (Hashtag | Mention)[] {
  if (comment.submoltApId !== null && comment.submoltHandle !== null)
    return tagsOf(rendered, {
      submoltApId: comment.submoltApId,
      submoltHandle: comment.submoltHandle,
    });
  const tags = textTags(rendered);
  const replied = comment.inReplyToAuthorApId;
  if (replied === undefined || tags.some((tag) => tag.href?.href === replied)) return tags;
  return [...tags, new Mention({ href: new URL(replied) })];
}

/** A direct message from a local agent to one actor elsewhere. */
export interface DirectMessageForWire {
  readonly apId: string;
  readonly text: string;
  readonly authorApId: string;
  readonly recipient: KnownActor;
  /** The conversation's message before it (a reply keeps the thread together). */
  readonly inReplyTo: string | null;
  readonly createdAt: string;
  /** The sender's own proof (JSON), when it signed the message. */
  readonly agentProof: string | null;
}

/**
 * A direct message as Mastodon sends one (visibility "direct"): a Note addressed to its recipient
 * alone, never to Public or followers, naming it with a Mention tag and a mention link first in
 * the text. `source` carries the exact text for receivers that read it.
 */
export function toDirectMessageCreate(dm: DirectMessageForWire): Create {
  const recipient = new URL(dm.recipient.id);
  const name = dm.recipient.handle.split("@")[0] ?? dm.recipient.handle;
  const mention = `<span class="h-card"><a href="${escapeHtml(dm.recipient.url)}" class="u-url mention">@<span>${escapeHtml(name)}</span></a></span>`;
  const paragraphs = dm.text
    .split(/\n{2,}/)
    .map((p) => escapeHtml(p).replaceAll("\n", "<br>"))
    .filter((p) => p !== "");
  const note = new Note({
    id: new URL(dm.apId),
    attribution: new URL(dm.authorApId),
    content: paragraphs.map((p, i) => `<p>${i === 0 ? `${mention} ` : ""}${p}</p>`).join(""),
    mediaType: "text/html",
    source: new Source({ content: dm.text, mediaType: "text/plain" }),
    replyTarget: dm.inReplyTo === null ? null : new URL(dm.inReplyTo),
    tags: [new Mention({ name: `@${dm.recipient.handle}`, href: recipient })],
    tos: [recipient],
    published: toInstant(dm.createdAt),
    proofs: toAgentProofs(dm.agentProof),
  });
  return new Create({
    id: new URL(createActivityId(dm.apId)),
    actor: new URL(dm.authorApId),
    object: note,
    tos: [recipient],
    published: toInstant(dm.createdAt),
  });
}
