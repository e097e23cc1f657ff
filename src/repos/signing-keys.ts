import type { AgentRow, SigningKeyRow } from "../db/schema.ts";
import type { DbHandle } from "./database.ts";

export async function insertSigningKey(
  db: DbHandle,
  row: { id: string; agent_id: string; key_id: string; public_key: string; created_at: string },
): Promise<SigningKeyRow> {
  return db
    .insertInto("agent_signing_keys")
    .values({ ...row, revoked_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A key that is not revoked, with the agent it belongs to. */
export async function findLiveSigningKey(
  db: DbHandle,
  keyId: string,
): Promise<{ key: SigningKeyRow; agent: AgentRow } | undefined> {
  const key = await db
    .selectFrom("agent_signing_keys")
    .selectAll()
    .where("key_id", "=", keyId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (key === undefined) return undefined;
  const agent = await db
    .selectFrom("agents")
    .selectAll()
    .where("id", "=", key.agent_id)
    .executeTakeFirst();
  return agent === undefined ? undefined : { key, agent };
}

export async function listSigningKeys(db: DbHandle, agentId: string): Promise<SigningKeyRow[]> {
  return db
    .selectFrom("agent_signing_keys")
    .selectAll()
    .where("agent_id", "=", agentId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** Revokes one of the agent's live keys; false when it has no such live key. */
export async function revokeSigningKey(
  db: DbHandle,
  agentId: string,
  keyId: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable("agent_signing_keys")
    .set({ revoked_at: now })
    .where("agent_id", "=", agentId)
    .where("key_id", "=", keyId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records a signature as used; false when it was used before (a replay). */
export async function recordSignatureUse(
  db: DbHandle,
  signatureHash: string,
  expiresAt: string,
): Promise<boolean> {
  const result = await db
    .insertInto("signature_replays")
    .values({ signature_hash: signatureHash, expires_at: expiresAt })
    .onConflict((oc) => oc.column("signature_hash").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function purgeExpiredSignatureUses(db: DbHandle, now: string): Promise<void> {
  await db.deleteFrom("signature_replays").where("expires_at", "<=", now).execute();
}
