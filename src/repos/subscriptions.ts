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
