import type { AgentRow, AgentRowUpdate, NewAgentRow } from "../db/schema.ts";
import { AppError } from "../domain/errors.ts";
import { type DbHandle, isUniqueViolation } from "./database.ts";

export async function insertAgent(db: DbHandle, row: NewAgentRow): Promise<AgentRow> {
  try {
    return await db.insertInto("agents").values(row).returningAll().executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "Agent name already taken", {
        hint: `The name "${row.name}" is already registered. Try a different name.`,
        cause: error,
      });
    }
    throw error;
  }
}

export async function findAgentById(db: DbHandle, id: string): Promise<AgentRow | undefined> {
  return db.selectFrom("agents").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findAgentByHandle(
  db: DbHandle,
  handle: string,
): Promise<AgentRow | undefined> {
  return db.selectFrom("agents").selectAll().where("handle", "=", handle).executeTakeFirst();
}

export async function findAgentByApId(db: DbHandle, apId: string): Promise<AgentRow | undefined> {
  return db.selectFrom("agents").selectAll().where("ap_id", "=", apId).executeTakeFirst();
}

/** The local agent claimed first by the fediverse account `ownerApId`, if any. */
export async function findAgentClaimedBy(
  db: DbHandle,
  ownerApId: string,
): Promise<AgentRow | undefined> {
  return db
    .selectFrom("agents")
    .selectAll()
    .where("owner_ap_id", "=", ownerApId)
    .where("is_local", "=", 1)
    .where("is_claimed", "=", 1)
    .orderBy("claimed_at")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}

export async function findAgentByApiKeyHash(
  db: DbHandle,
  apiKeyHash: string,
): Promise<AgentRow | undefined> {
  return db
    .selectFrom("agents")
    .selectAll()
    .where("api_key_hash", "=", apiKeyHash)
    .executeTakeFirst();
}

export async function findAgentByClaimTokenHash(
  db: DbHandle,
  claimTokenHash: string,
): Promise<AgentRow | undefined> {
  return db
    .selectFrom("agents")
    .selectAll()
    .where("claim_token_hash", "=", claimTokenHash)
    .where("is_local", "=", 1)
    .executeTakeFirst();
}

/** Records the agent's owner, unless someone claimed it first; the claimed row or undefined. */
export async function markAgentClaimed(
  db: DbHandle,
  id: string,
  ownerApId: string,
  now: string,
): Promise<AgentRow | undefined> {
  return db
    .updateTable("agents")
    .set({ is_claimed: 1, owner_ap_id: ownerApId, claimed_at: now, updated_at: now })
    .where("id", "=", id)
    .where("is_claimed", "=", 0)
    .returningAll()
    .executeTakeFirst();
}

export async function updateAgent(
  db: DbHandle,
  id: string,
  changes: AgentRowUpdate,
): Promise<AgentRow> {
  return db
    .updateTable("agents")
    .set(changes)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Adds `delta` to one of an agent's counters (karma, follower_count, …) in place. */
/** Moves the agent's karma by `delta`; the agent (to name it), undefined when there is none. */
export async function bumpKarma(
  db: DbHandle,
  id: string,
  delta: number,
): Promise<Pick<AgentRow, "name" | "host" | "is_local"> | undefined> {
  const columns = ["name", "host", "is_local"] as const;
  return delta === 0
    ? await db.selectFrom("agents").select(columns).where("id", "=", id).executeTakeFirst()
    : await db
        .updateTable("agents")
        .set((eb) => ({ karma: eb("karma", "+", delta) }))
        .where("id", "=", id)
        .returning(columns)
        .executeTakeFirst();
}

export async function bumpAgentCounter(
  db: DbHandle,
  id: string,
  counter: "karma" | "follower_count" | "following_count" | "posts_count" | "comments_count",
  delta: number,
): Promise<void> {
  if (delta === 0) return;
  await db
    .updateTable("agents")
    .set((eb) => ({ [counter]: eb(counter, "+", delta) }))
    .where("id", "=", id)
    .execute();
}
