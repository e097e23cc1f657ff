import type { PostRow, WrittenPost } from "../db/schema.ts";
import { scanFields } from "../domain/hazards.ts";
import type { DbHandle } from "./database.ts";
import type { VoteTarget } from "./votes.ts";

export type NewPost = WrittenPost & {
  content_html?: string | null;
  agent_proof?: string | null;
  signing_key_id?: string | null;
};

/** The hazards column of a post with these fields: every write of a post's text sets it. */
export function postHazards(post: Pick<PostRow, "title" | "content" | "url">): string {
  return JSON.stringify(scanFields(post));
}

export async function insertPost(db: DbHandle, post: NewPost): Promise<void> {
  await db
    .insertInto("posts")
    .values({ ...post, hazards: postHazards(post) })
    .execute();
}

/** A live (not deleted) post row. */
export async function findLivePost(db: DbHandle, id: string): Promise<PostRow | undefined> {
  return db
    .selectFrom("posts")
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function markPostDeleted(db: DbHandle, id: string, now: string): Promise<void> {
  await db
    .updateTable("posts")
    .set({ deleted_at: now, is_pinned: 0, updated_at: now })
    .where("id", "=", id)
    .execute();
}

/** Moves a post's vote tallies by the given deltas, in SQL (no lost updates), and returns them. */
export async function applyPostVoteDelta(
  db: DbHandle,
  id: string,
  delta: { score: number; upvotes: number; downvotes: number },
): Promise<{ score: number; upvotes: number; downvotes: number; created_at: string }> {
  return db
    .updateTable("posts")
    .set((eb) => ({
      score: eb("score", "+", delta.score),
      upvotes: eb("upvotes", "+", delta.upvotes),
      downvotes: eb("downvotes", "+", delta.downvotes),
    }))
    .where("id", "=", id)
    .returning(["score", "upvotes", "downvotes", "created_at"])
    .executeTakeFirstOrThrow();
}

export async function setPostHotRank(db: DbHandle, id: string, hotRank: number): Promise<void> {
  await db.updateTable("posts").set({ hot_rank: hotRank }).where("id", "=", id).execute();
}

export async function bumpPostCommentCount(db: DbHandle, id: string, delta: number): Promise<void> {
  await db
    .updateTable("posts")
    .set((eb) => ({ comment_count: eb("comment_count", "+", delta) }))
    .where("id", "=", id)
    .execute();
}

export async function setPostPinned(
  db: DbHandle,
  id: string,
  pinned: boolean,
  now: string,
): Promise<void> {
  await db
    .updateTable("posts")
    .set({ is_pinned: pinned ? 1 : 0, updated_at: now })
    .where("id", "=", id)
    .execute();
}

export async function countPinnedPosts(db: DbHandle, submoltId: string): Promise<number> {
  const row = await db
    .selectFrom("posts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("submolt_id", "=", submoltId)
    .where("is_pinned", "=", 1)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Stores a post that arrived from another instance unless its ap_id is known; true when new. */
export async function insertPostIfNew(db: DbHandle, post: NewPost): Promise<boolean> {
  const result = await db
    .insertInto("posts")
    .values({ ...post, hazards: postHazards(post) })
    .onConflict((oc) => oc.column("ap_id").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findPostByApId(db: DbHandle, apId: string): Promise<PostRow | undefined> {
  return db.selectFrom("posts").selectAll().where("ap_id", "=", apId).executeTakeFirst();
}

export async function findPostById(db: DbHandle, id: string): Promise<PostRow | undefined> {
  return db.selectFrom("posts").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The post or comment with this ActivityPub id, as a vote target. */
export async function findVoteTarget(db: DbHandle, apId: string): Promise<VoteTarget | undefined> {
  const post = await db
    .selectFrom("posts")
    .select("id")
    .where("ap_id", "=", apId)
    .executeTakeFirst();
  if (post !== undefined) return { kind: "post", id: post.id };
  const comment = await db
    .selectFrom("comments")
    .select("id")
    .where("ap_id", "=", apId)
    .executeTakeFirst();
  return comment === undefined ? undefined : { kind: "comment", id: comment.id };
}

export async function updatePostContent(
  db: DbHandle,
  id: string,
  changes: {
    title?: string;
    content?: string | null;
    content_html?: string | null;
    url?: string | null;
    agent_proof?: string | null;
    signing_key_id?: string | null;
    updated_at: string;
  },
): Promise<void> {
  // An edit may change one field: the others are read back to scan the post as it will read.
  const current = await db
    .selectFrom("posts")
    .select(["title", "content", "url"])
    .where("id", "=", id)
    .executeTakeFirst();
  const next = {
    title: changes.title ?? current?.title ?? "",
    content: changes.content !== undefined ? changes.content : (current?.content ?? null),
    url: changes.url !== undefined ? changes.url : (current?.url ?? null),
  };
  await db
    .updateTable("posts")
    .set({ ...changes, hazards: postHazards(next) })
    .where("id", "=", id)
    .execute();
}
