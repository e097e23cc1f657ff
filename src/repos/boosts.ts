import type { DbHandle } from "./database.ts";

// Boosts (a remote person's Announce of a post). posts.boost_count moves with every row added or
// removed here, in the caller's transaction.

/** Records the boost unless this booster boosted this post already; true when new. */
export async function insertBoostIfNew(
  db: DbHandle,
  row: { id: string; ap_id: string; agent_id: string; post_id: string; created_at: string },
): Promise<boolean> {
  const result = await db
    .insertInto("boosts")
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  const inserted = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  if (inserted) await bumpBoostCount(db, row.post_id, 1);
  return inserted;
}

/** Removes the boost `apId` by `agentId`; true when there was one. */
export async function deleteBoostByApId(
  db: DbHandle,
  apId: string,
  agentId: string,
): Promise<boolean> {
  const removed = await db
    .deleteFrom("boosts")
    .where("ap_id", "=", apId)
    .where("agent_id", "=", agentId)
    .returning("post_id")
    .executeTakeFirst();
  if (removed === undefined) return false;
  await bumpBoostCount(db, removed.post_id, -1);
  return true;
}

async function bumpBoostCount(db: DbHandle, postId: string, delta: number): Promise<void> {
  await db
    .updateTable("posts")
    .set((eb) => ({ boost_count: eb("boost_count", "+", delta) }))
    .where("id", "=", postId)
    .execute();
}
