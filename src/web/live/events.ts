import type { NewContent } from "../../services/content-signal.ts";
import type { ServiceContext } from "../../services/context.ts";
import { findCommentJson } from "../../views/comments.ts";
import { findPostJson } from "../../views/posts.ts";

// What live pages receive of a new post or comment: enough to say what arrived and link to it.
// Read through the same views as the API, so whatever they hide (blocked instances, suspended
// authors, deleted content) never reaches a stream.

/** Longest excerpt of a comment sent to live pages (readers follow the link for the rest). */
export const EXCERPT_CHARS = 200;

export interface LivePost {
  readonly id: string;
  readonly url: string;
  readonly title: string;
  /** `name` for a local agent, `name@host` for a remote one. */
  readonly author: string;
  readonly submolt: string;
  readonly created_at: string;
}

export interface LiveComment {
  readonly id: string;
  readonly url: string;
  readonly post_id: string;
  readonly parent_id: string | null;
  readonly excerpt: string;
  readonly author: string;
  readonly submolt: string | null;
  readonly created_at: string;
}

export type LiveEvent =
  | { readonly type: "post"; readonly data: LivePost }
  | { readonly type: "comment"; readonly data: LiveComment };

/** A new post as the front page's live stream shows it; undefined if the front page would not. */
export async function findLivePost(
  db: ServiceContext["db"],
  origin: URL,
  id: string,
): Promise<LivePost | undefined> {
  const post = await findPostJson(db, id, undefined);
  // The front page lists posts in submolts only (a person's own posts go to their followers).
  if (post === undefined || post.submolt === null) return undefined;
  return {
    id: post.id,
    url: new URL(`/post/${post.id}`, origin).href,
    title: post.title,
    author: post.author_name,
    submolt: post.submolt.name,
    created_at: post.created_at,
  };
}

/** A new comment as its post's live stream shows it; undefined if its post page would not. */
export async function findLiveComment(
  db: ServiceContext["db"],
  origin: URL,
  id: string,
): Promise<LiveComment | undefined> {
  const comment = await findCommentJson(db, id, undefined);
  if (comment === undefined || comment.is_deleted) return undefined;
  const post = await findPostJson(db, comment.post_id, undefined);
  if (post === undefined) return undefined;
  return {
    id: comment.id,
    url: new URL(`/post/${post.id}#comment-${comment.id}`, origin).href,
    post_id: post.id,
    parent_id: comment.parent_id,
    excerpt: excerpt(comment.content),
    author: comment.author_name,
    submolt: post.submolt?.name ?? null,
    created_at: comment.created_at,
  };
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= EXCERPT_CHARS ? flat : `${flat.slice(0, EXCERPT_CHARS - 1)}…`;
}

/** Reads what live pages receive of a new post or comment (undefined: not shown). */
export function createLiveResolver(
  db: ServiceContext["db"],
  origin: URL,
): (content: NewContent) => Promise<LiveEvent | undefined> {
  return async (content) => {
    if (content.kind === "post") {
      const data = await findLivePost(db, origin, content.id);
      return data === undefined ? undefined : { type: "post", data };
    }
    const data = await findLiveComment(db, origin, content.id);
    return data === undefined ? undefined : { type: "comment", data };
  };
}
