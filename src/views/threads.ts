import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { type CommentJson, getCommentTree } from "./comments.ts";
import { findPostJson, type PostJson } from "./posts.ts";
import type { ReadCache } from "./read-cache.ts";

/** A post with its comment tree, as GET /posts/:id shows it. */
export interface Thread {
  readonly post: PostJson;
  readonly comments: readonly CommentJson[];
}

/** Top-level comments a thread page shows, best first. */
const THREAD_COMMENTS = 100;

/** Thrown by the loader so that a missing post is not cached (a failed read is not kept). */
const MISSING = Symbol("missing post");

/**
 * A live post and its first comments. The thread as an anonymous viewer sees it comes from
 * `cache` (see ReadCache); the viewer's votes on the post and on its comments are read afresh,
 * so `user_vote` is always the viewer's own current vote. Undefined when there is no such post.
 */
export async function getThreadCached(
  db: Kysely<Database>,
  cache: ReadCache,
  postId: string,
  viewerId: string | undefined,
): Promise<Thread | undefined> {
  const shared = await cache
    .get(JSON.stringify(["thread", postId]), () => readThread(db, postId))
    .catch((error: unknown) => {
      if (error === MISSING) return undefined;
      throw error;
    });
  if (shared === undefined || viewerId === undefined) return shared;
  const votes = await viewerVotes(db, viewerId, shared.post.id, commentIdsOf(shared.comments));
  if (votes.post === undefined && votes.comments.size === 0) return shared;
  return {
    post:
      votes.post === undefined ? shared.post : { ...shared.post, user_vote: votes.post ?? null },
    comments: withVotes(shared.comments, votes.comments),
  };
}

async function readThread(db: Kysely<Database>, postId: string): Promise<Thread> {
  const post = await findPostJson(db, postId, undefined);
  if (post === undefined) throw MISSING;
  const { comments } = await getCommentTree(db, post.id, undefined, {
    sort: "best",
    limit: THREAD_COMMENTS,
    offset: 0,
  });
  return { post, comments };
}

/** The comments, with the viewer's votes set; unchanged subtrees stay the same objects. */
function withVotes(
  comments: readonly CommentJson[],
  votes: ReadonlyMap<string, PostJson["user_vote"]>,
): readonly CommentJson[] {
  let changed = false;
  const next = comments.map((comment) => {
    const replies = withVotes(comment.replies, votes);
    const vote = votes.get(comment.id);
    if (vote === undefined && replies === comment.replies) return comment;
    changed = true;
    return { ...comment, user_vote: vote ?? comment.user_vote, replies: [...replies] };
  });
  return changed ? next : comments;
}

/** Comment ids a statement asks about at most (parameters per statement have limits). */
const IDS_PER_STATEMENT = 500;

/** The viewer's vote on the post, and on each of these comments that it voted on. */
async function viewerVotes(
  db: Kysely<Database>,
  viewerId: string,
  postId: string,
  commentIds: readonly string[],
): Promise<{
  post: PostJson["user_vote"] | undefined;
  comments: Map<string, PostJson["user_vote"]>;
}> {
  // Each id probes the viewer's (agent_id, comment_id) index; the post's vote likewise.
  let query = db
    .selectFrom("votes")
    .select(["post_id", "comment_id", "value"])
    .where("agent_id", "=", viewerId)
    .where("post_id", "=", postId);
  for (let at = 0; at < commentIds.length; at += IDS_PER_STATEMENT) {
    const ids = commentIds.slice(at, at + IDS_PER_STATEMENT);
    query = query.unionAll(
      db
        .selectFrom("votes")
        .select(["post_id", "comment_id", "value"])
        .where("agent_id", "=", viewerId)
        .where("comment_id", "in", ids),
    );
  }
  let post: PostJson["user_vote"] | undefined;
  const comments = new Map<string, PostJson["user_vote"]>();
  for (const row of await query.execute()) {
    if (row.comment_id !== null) comments.set(row.comment_id, row.value);
    else if (row.post_id === postId) post = row.value;
  }
  return { post, comments };
}

function commentIdsOf(comments: readonly CommentJson[], into: string[] = []): string[] {
  for (const comment of comments) {
    into.push(comment.id);
    commentIdsOf(comment.replies, into);
  }
  return into;
}
