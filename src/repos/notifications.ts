import { sql } from "kysely";
import type { NotificationKind } from "../db/schema.ts";
import type { DbHandle } from "./database.ts";

export interface NewNotification {
  readonly id: string;
  readonly agent_id: string;
  readonly kind: Exclude<NotificationKind, "votes">;
  readonly actor_id: string | null;
  readonly post_id?: string | null;
  readonly comment_id?: string | null;
  readonly mention_id?: string | null;
  readonly detail?: string | null;
  readonly ends_at?: string | null;
  readonly created_at: string;
}

export async function insertNotification(db: DbHandle, row: NewNotification): Promise<void> {
  await db
    .insertInto("notifications")
    .values({
      id: row.id,
      agent_id: row.agent_id,
      kind: row.kind,
      actor_id: row.actor_id,
      post_id: row.post_id ?? null,
      comment_id: row.comment_id ?? null,
      mention_id: row.mention_id ?? null,
      detail: row.detail ?? null,
      ends_at: row.ends_at ?? null,
      created_at: row.created_at,
    })
    .execute();
}

/**
 * One more vote on `postId` (or a comment under it) for its author: the unread votes summary of
 * that post counts it and moves to the top, or a new one starts.
 */
export async function addToVotesSummary(
  db: DbHandle,
  row: { id: string; agent_id: string; actor_id: string; post_id: string; created_at: string },
): Promise<void> {
  await db
    .insertInto("notifications")
    .values({ ...row, kind: "votes", count: 1 })
    .onConflict((oc) =>
      oc
        .columns(["agent_id", "post_id"])
        // Literal, as the unique index's predicate is: SQLite matches the two by their text.
        .where(sql<boolean>`kind = 'votes' and read_at is null`)
        .doUpdateSet((eb) => ({
          count: eb(eb.ref("notifications.count"), "+", 1),
          actor_id: eb.ref("excluded.actor_id"),
          created_at: eb.ref("excluded.created_at"),
        })),
    )
    .execute();
}

/** Whether `agentId` is already told of `commentId` or `postId` (a reply that also mentions it). */
export async function isNotifiedOf(
  db: DbHandle,
  agentId: string,
  about: { commentId?: string; postId?: string },
): Promise<boolean> {
  let query = db.selectFrom("notifications").select("id").where("agent_id", "=", agentId);
  if (about.commentId !== undefined) query = query.where("comment_id", "=", about.commentId);
  else if (about.postId !== undefined)
    query = query.where("post_id", "=", about.postId).where("comment_id", "is", null);
  else return false;
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}

/** Marks the agent's unread notifications (about one post, when given) read; how many. */
export async function markNotificationsRead(
  db: DbHandle,
  agentId: string,
  now: string,
  postId?: string,
): Promise<number> {
  let query = db
    .updateTable("notifications")
    .set({ read_at: now })
    .where("agent_id", "=", agentId)
    .where("read_at", "is", null);
  if (postId !== undefined) query = query.where("post_id", "=", postId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
