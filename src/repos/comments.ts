import type { CommentRow, WrittenComment } from "../db/schema.ts";
import { scanFields } from "../domain/hazards.ts";
import type { DbHandle } from "./database.ts";

export type NewComment = WrittenComment & {
  content_html?: string | null;
  agent_proof?: string | null;
  signing_key_id?: string | null;
};

/** The hazards column of a comment with this text: every write of a comment's text sets it. */
export function commentHazards(content: string): string {
  return JSON.stringify(scanFields({ content }));
}

export async function insertComment(db: DbHandle, comment: NewComment): Promise<void> {
  await db
    .insertInto("comments")
    .values({ ...comment, hazards: commentHazards(comment.content) })
    .execute();
}

export async function findComment(db: DbHandle, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Soft delete: the comment keeps its place in the thread (its replies stay), its text goes. */
export async function markCommentDeleted(db: DbHandle, id: string, now: string): Promise<void> {
  await db
    .updateTable("comments")
    .set({
      deleted_at: now,
      content: "[deleted]",
      content_html: null,
      hazards: "[]",
      updated_at: now,
    })
    .where("id", "=", id)
    .execute();
}

export async function bumpReplyCount(db: DbHandle, id: string, delta: number): Promise<void> {
  await db
    .updateTable("comments")
    .set((eb) => ({ reply_count: eb("reply_count", "+", delta) }))
    .where("id", "=", id)
    .execute();
}

export async function applyCommentVoteDelta(
  db: DbHandle,
  id: string,
  delta: { score: number; upvotes: number; downvotes: number },
): Promise<{ score: number; upvotes: number; downvotes: number }> {
  return db
    .updateTable("comments")
    .set((eb) => ({
      score: eb("score", "+", delta.score),
      upvotes: eb("upvotes", "+", delta.upvotes),
      downvotes: eb("downvotes", "+", delta.downvotes),
    }))
    .where("id", "=", id)
    .returning(["score", "upvotes", "downvotes"])
    .executeTakeFirstOrThrow();
}

export async function findCommentByApId(
  db: DbHandle,
  apId: string,
): Promise<CommentRow | undefined> {
  return db.selectFrom("comments").selectAll().where("ap_id", "=", apId).executeTakeFirst();
}

/** Stores a comment that arrived from another instance unless its ap_id is known; true when new. */
export async function insertCommentIfNew(db: DbHandle, comment: NewComment): Promise<boolean> {
  const result = await db
    .insertInto("comments")
    .values({ ...comment, hazards: commentHazards(comment.content) })
    .onConflict((oc) => oc.column("ap_id").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Sets a comment's text, and its sanitized HTML (remote comments only; null otherwise). */
export async function updateCommentContent(
  db: DbHandle,
  id: string,
  content: string,
  now: string,
  contentHtml: string | null,
  signature: { agent_proof: string | null; signing_key_id: string | null },
): Promise<void> {
  await db
    .updateTable("comments")
    .set({
      content,
      content_html: contentHtml,
      hazards: commentHazards(content),
      updated_at: now,
      ...signature,
    })
    .where("id", "=", id)
    .execute();
}
