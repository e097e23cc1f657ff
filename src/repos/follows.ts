import type { DbHandle } from "./database.ts";

export async function findFollow(
  db: DbHandle,
  followerId: string,
  followeeId: string,
): Promise<{ id: string; ap_id: string; state: string } | undefined> {
  return db
    .selectFrom("follows")
    .select(["id", "ap_id", "state"])
    .where("follower_id", "=", followerId)
    .where("followee_id", "=", followeeId)
    .executeTakeFirst();
}

/** Inserts the follow unless it exists; true when it was new. */
export async function insertFollow(
  db: DbHandle,
  row: {
    id: string;
    ap_id: string;
    follower_id: string;
    followee_id: string;
    state: "pending" | "accepted";
    now: string;
  },
): Promise<boolean> {
  const result = await db
    .insertInto("follows")
    .values({
      id: row.id,
      ap_id: row.ap_id,
      follower_id: row.follower_id,
      followee_id: row.followee_id,
      state: row.state,
      created_at: row.now,
      updated_at: row.now,
    })
    .onConflict((oc) => oc.columns(["follower_id", "followee_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Deletes the follow; true when there was one. */
export async function deleteFollow(
  db: DbHandle,
  followerId: string,
  followeeId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom("follows")
    .where("follower_id", "=", followerId)
    .where("followee_id", "=", followeeId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Marks a pending follow (by its Follow activity id) accepted; true when it was pending. */
export async function acceptFollowByApId(
  db: DbHandle,
  apId: string,
  followeeId: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable("follows")
    .set({ state: "accepted", updated_at: now })
    .where("ap_id", "=", apId)
    .where("followee_id", "=", followeeId)
    .where("state", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The agents `followerId` follows (any state). */
export async function listFolloweeIds(db: DbHandle, followerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("follows")
    .select("followee_id")
    .where("follower_id", "=", followerId)
    .execute();
  return rows.map((r) => r.followee_id);
}

/** Some local agent follows `followeeId` (asked or accepted). */
export async function hasLocalFollower(db: DbHandle, followeeId: string): Promise<boolean> {
  const row = await db
    .selectFrom("follows")
    .innerJoin("agents", "agents.id", "follows.follower_id")
    .select("follows.id")
    .where("follows.followee_id", "=", followeeId)
    .where("agents.is_local", "=", 1)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
