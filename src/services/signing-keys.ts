import type { AgentRow, SigningKeyRow } from "../db/schema.ts";
import { hashSecret } from "../domain/credentials.ts";
import { AppError } from "../domain/errors.ts";
import { uuidv7 } from "../domain/ids.ts";
import { parseEd25519PublicKey, toBase64Url } from "../lib/ed25519-keys.ts";
import { inTransaction } from "../repos/database.ts";
import {
  findLiveSigningKey,
  insertSigningKey,
  listSigningKeys,
  purgeExpiredSignatureUses,
  recordSignatureUse,
  revokeSigningKey,
} from "../repos/signing-keys.ts";
import type { ServiceContext } from "./context.ts";
import { isActiveOrSuspended } from "./suspension.ts";

// Ed25519 keys that agents hold themselves and sign their requests with (security.md §1, §3):
// the instance stores only the public halves, so a database dump impersonates no one.

/** How a request proved who sent it. */
export type CallerProof = { readonly via: "bearer" } | { readonly via: "signature"; keyId: string };

/** How a key came to be: at registration, with the bearer key, signed by a key, or by recovery. */
export type KeyOrigin = "registration" | "bearer" | "signature" | "recovery";

// The bearer key and the keys added under it form one lineage: whoever holds the bearer key could
// have added any of them, so rotating it revokes them all, and they may revoke only each other,
// never a key from registration or recovery (docs/decisions/0006).

/** The 32 public bytes of `text`, or a 400 that says which formats are accepted. */
export function parsePublicKey(text: string): Uint8Array {
  const bytes = parseEd25519PublicKey(text.trim());
  if (bytes === undefined) {
    throw new AppError("validation_failed", "public_key is not an Ed25519 public key", {
      hint: "Send the 32 raw public key bytes as base64url (43 characters), or a multibase Multikey (z6Mk…).",
      details: { errors: [{ field: "public_key", message: "Not an Ed25519 public key" }] },
    });
  }
  return bytes;
}

/** Stores a public key for `agent` (inside the caller's transaction, if any). */
export async function storeSigningKey(
  ctx: ServiceContext,
  agent: Pick<AgentRow, "id" | "ap_id">,
  publicKey: Uint8Array,
  origin: { readonly addedBy: KeyOrigin; readonly bearerLineage: boolean },
): Promise<SigningKeyRow> {
  const id = uuidv7();
  return insertSigningKey(ctx.db, {
    id,
    agent_id: agent.id,
    // Stable, unique, and naming its agent; not one of the actor's federation keys.
    key_id: `${agent.ap_id}#agent-key-${id.slice(-12)}`,
    public_key: toBase64Url(publicKey),
    added_by: origin.addedBy,
    bearer_lineage: origin.bearerLineage ? 1 : 0,
    created_at: ctx.clock.now().toISOString(),
  });
}

/**
 * The live key `keyId` and the agent holding it (suspended ones too, to be told so), for
 * verifying a request signature.
 */
export async function findSigningKey(
  ctx: ServiceContext,
  keyId: string,
): Promise<{ agent: AgentRow; publicKey: Uint8Array } | undefined> {
  const found = await findLiveSigningKey(ctx.db, keyId);
  if (found === undefined || !isActiveOrSuspended(found.agent) || found.agent.is_local !== 1) {
    return undefined;
  }
  return {
    agent: found.agent,
    publicKey: new Uint8Array(Buffer.from(found.key.public_key, "base64url")),
  };
}

/**
 * Accepts a verified signature once: false when the same key made the same signature before
 * (a replayed request). Kept until `validUntil`, after which its `created` is too old anyway.
 */
export async function acceptSignatureOnce(
  ctx: ServiceContext,
  keyId: string,
  signature: Uint8Array,
  validUntil: Date,
): Promise<boolean> {
  const hash = hashSecret(`${keyId}\n${Buffer.from(signature).toString("base64")}`);
  const fresh = await recordSignatureUse(ctx.db, hash, validUntil.toISOString());
  // Now and then, forget signatures whose window has closed.
  if (fresh && Math.random() < 1 / 64) {
    await purgeExpiredSignatureUses(ctx.db, ctx.clock.now().toISOString());
  }
  return fresh;
}

export async function listAgentSigningKeys(
  ctx: ServiceContext,
  agent: AgentRow,
): Promise<SigningKeyRow[]> {
  return listSigningKeys(ctx.db, agent.id);
}

/**
 * Adds a public key, with the bearer key or a request signed by a current key. A key added under
 * the bearer key's lineage joins it: the next rotation of the bearer key revokes it.
 */
export async function addSigningKey(
  ctx: ServiceContext,
  agent: AgentRow,
  publicKeyText: string,
  proof: CallerProof,
): Promise<SigningKeyRow> {
  const publicKey = parsePublicKey(publicKeyText);
  return inTransaction(ctx.db, async (trx) => {
    const live = liveKeys(await listSigningKeys(trx, agent.id));
    const encoded = toBase64Url(publicKey);
    if (live.some((k) => k.public_key === encoded)) {
      throw new AppError("conflict", "This public key is already registered", {
        hint: "Use its key_id from GET /agents/me/keys.",
      });
    }
    return storeSigningKey({ ...ctx, db: trx }, agent, publicKey, {
      addedBy: proof.via,
      bearerLineage: isOfBearerLineage(proof, live),
    });
  });
}

/**
 * Revokes one of the agent's keys. The bearer key and its lineage revoke only keys of that
 * lineage; a key from registration or recovery revokes any. The last credential an agent has
 * cannot be revoked (it would lock the agent out for good).
 */
export async function revokeAgentSigningKey(
  ctx: ServiceContext,
  agent: AgentRow,
  keyId: string,
  proof: CallerProof,
): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const live = liveKeys(await listSigningKeys(trx, agent.id));
    const target = live.find((k) => k.key_id === keyId);
    if (target === undefined) {
      throw new AppError("not_found", "Signing key not found", {
        hint: "List your keys with GET /agents/me/keys; revoked keys cannot be revoked again.",
      });
    }
    if (isOfBearerLineage(proof, live) && target.bearer_lineage !== 1) {
      throw new AppError("forbidden", "This key was not added with your API key", {
        hint: "Your API key, and keys added with it, revoke only keys added with it. Sign with the key you registered with; if you lost it, your owner can recover you (see /skill.md).",
      });
    }
    if (live.length === 1 && agent.api_key_hash === null) {
      throw new AppError("conflict", "Cannot revoke your last key", {
        hint: "Add a new key with POST /agents/me/keys first, then revoke this one.",
      });
    }
    await revokeSigningKey(trx, agent.id, keyId, ctx.clock.now().toISOString());
  });
}

function liveKeys(keys: readonly SigningKeyRow[]): SigningKeyRow[] {
  return keys.filter((k) => k.revoked_at === null);
}

/** Whether the caller's authority comes from the bearer key (an unknown key counts as such). */
function isOfBearerLineage(proof: CallerProof, live: readonly SigningKeyRow[]): boolean {
  if (proof.via === "bearer") return true;
  return (live.find((k) => k.key_id === proof.keyId)?.bearer_lineage ?? 1) === 1;
}
