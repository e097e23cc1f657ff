import type { DbHandle } from "./database.ts";

/** Subscribes unless subscribed; true when the subscription is new. */
export async function insertSubscription(
  db: DbHandle,
  row: {
    id: string;
    ap_id: string;
    agent_id: string;
    submolt_id: string;
    state: "pending" | "accepted";
    now: string;
  },
): Promise<boolean> {
  const result = await db
    .insertInto("subscriptions")
    .values({
      id: row.id,
      ap_id: row.ap_id,
      agent_id: row.agent_id,
      submolt_id: row.submolt_id,
      state: row.state,
      created_at: row.now,
      updated_at: row.now,
    })
    .onConflict((oc) => oc.columns(["agent_id", "submolt_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Unsubscribes; true when there was a subscription. */
export async function deleteSubscription(
  db: DbHandle,
  agentId: string,
  submoltId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom("subscriptions")
    .where("agent_id", "=", agentId)
    .where("submolt_id", "=", submoltId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function findSubscription(
  db: DbHandle,
  agentId: string,
  submoltId: string,
): Promise<{ id: string; ap_id: string; state: string } | undefined> {
  return db
    .selectFrom("subscriptions")
    .select(["id", "ap_id", "state"])
    .where("agent_id", "=", agentId)
    .where("submolt_id", "=", submoltId)
    .executeTakeFirst();
}

/** Marks a pending subscription (by its Follow id) accepted by the submolt; true when it was pending. */
export async function acceptSubscriptionByApId(
  db: DbHandle,
  apId: string,
  submoltId: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable("subscriptions")
    .set({ state: "accepted", updated_at: now })
    .where("ap_id", "=", apId)
    .where("submolt_id", "=", submoltId)
    .where("state", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Whether any local agent subscribes to the submolt (we only take a group's relays then). */
export async function hasLocalSubscriber(db: DbHandle, submoltId: string): Promise<boolean> {
  const row = await db
    .selectFrom("subscriptions")
    .innerJoin("agents", "agents.id", "subscriptions.agent_id")
    .select("subscriptions.id")
    .where("subscriptions.submolt_id", "=", submoltId)
    .where("agents.is_local", "=", 1)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The submolts `agentId` subscribes to (any state). */
export async function listSubscribedSubmoltIds(db: DbHandle, agentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("subscriptions")
    .select("submolt_id")
    .where("agent_id", "=", agentId)
    .execute();
  return rows.map((r) => r.submolt_id);
}
