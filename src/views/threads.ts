import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { cachedUnlessMissing } from "./cached-lookup.ts";
import { type CommentJson, getCommentTreeCached } from "./comments.ts";
import { findPostJson, type PostJson } from "./posts.ts";
import type { ReadCache } from "./read-cache.ts";
import { readThreadVotes, withCommentVotes } from "./viewer-votes.ts";

/** A post with its comment tree, as GET /posts/:id shows it. */
export interface Thread {
  readonly post: PostJson;
  readonly comments: readonly CommentJson[];
}

/** Top-level comments a thread page shows. */
const THREAD_COMMENTS = 100;

/**
 * A live post and its first comments. The thread as an anonymous viewer sees it comes from
 * `cache` (see ReadCache; the comments are the cached tree GET /posts/:id/comments reads too);
 * the viewer's votes on the post and on its comments are read afresh in one statement, so
 * `user_vote` is always the viewer's own current vote. Undefined when there is no such post.
 */
export async function getThreadCached(
  db: Kysely<Database>,
  cache: ReadCache,
  postId: string,
  viewerId: string | undefined,
): Promise<Thread | undefined> {
  const [shared, votes] = await Promise.all([
    cachedUnlessMissing(cache, ["thread", postId], () => readThread(db, cache, postId)),
    viewerId === undefined ? undefined : readThreadVotes(db, viewerId, postId),
  ]);
  if (shared === undefined || votes === undefined) return shared;
  if (votes.post === undefined && votes.comments.size === 0) return shared;
  return {
    post:
      votes.post === undefined ? shared.post : { ...shared.post, user_vote: votes.post ?? null },
    comments: withCommentVotes(shared.comments, votes.comments),
  };
}

async function readThread(
  db: Kysely<Database>,
  cache: ReadCache,
  postId: string,
): Promise<Thread | undefined> {
  const [post, tree] = await Promise.all([
    findPostJson(db, postId, undefined),
    getCommentTreeCached(db, cache, postId, undefined, {
      sort: "best",
      limit: THREAD_COMMENTS,
      offset: 0,
    }),
  ]);
  if (post === undefined || tree === undefined) return undefined;
  return { post, comments: tree.comments };
}
