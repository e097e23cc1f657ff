import type { DbHandle } from "./database.ts";

export type ModeratorRole = "owner" | "moderator";

/** The agent's role in the submolt, or undefined when it has none. */
export async function findModeratorRole(
  db: DbHandle,
  submoltId: string | null,
  agentId: string,
): Promise<ModeratorRole | undefined> {
  if (submoltId === null) return undefined;
  const row = await db
    .selectFrom("submolt_moderators")
    .select("role")
    .where("submolt_id", "=", submoltId)
    .where("agent_id", "=", agentId)
    .executeTakeFirst();
  return row?.role;
}

/** Adds the agent as owner or moderator, or changes its role. */
export async function upsertModerator(
  db: DbHandle,
  row: { submolt_id: string; agent_id: string; role: ModeratorRole; created_at: string },
): Promise<void> {
  await db
    .insertInto("submolt_moderators")
    .values(row)
    .onConflict((oc) => oc.columns(["submolt_id", "agent_id"]).doUpdateSet({ role: row.role }))
    .execute();
}

/** Removes the agent's role; true when it had one. */
export async function deleteModerator(
  db: DbHandle,
  submoltId: string,
  agentId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom("submolt_moderators")
    .where("submolt_id", "=", submoltId)
    .where("agent_id", "=", agentId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The ActivityPub ids of a submolt's owners and moderators, owners first, oldest first. */
export async function listModeratorApIds(db: DbHandle, submoltId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("submolt_moderators")
    .innerJoin("agents", "agents.id", "submolt_moderators.agent_id")
    .select(["agents.ap_id", "submolt_moderators.role"])
    .where("submolt_moderators.submolt_id", "=", submoltId)
    .orderBy("submolt_moderators.created_at")
    .execute();
  return [...rows.filter((r) => r.role === "owner"), ...rows.filter((r) => r.role !== "owner")].map(
    (r) => r.ap_id,
  );
}
