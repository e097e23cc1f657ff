import type { AgentRow, SigningKeyRow } from "../db/schema.ts";
import type { DbHandle } from "./database.ts";

export async function insertSigningKey(
  db: DbHandle,
  row: {
    id: string;
    agent_id: string;
    key_id: string;
    public_key: string;
    added_by: string;
    bearer_lineage: 0 | 1;
    created_at: string;
  },
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

/**
 * Revokes the agent's live keys (only those of the bearer key's lineage, with `bearerLineage`);
 * the key ids revoked.
 */
export async function revokeSigningKeys(
  db: DbHandle,
  agentId: string,
  now: string,
  options: { bearerLineage?: boolean } = {},
): Promise<string[]> {
  let query = db
    .updateTable("agent_signing_keys")
    .set({ revoked_at: now })
    .where("agent_id", "=", agentId)
    .where("revoked_at", "is", null);
  if (options.bearerLineage) query = query.where("bearer_lineage", "=", 1);
  const rows = await query.returning("key_id").execute();
  return rows.map((row) => row.key_id);
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
