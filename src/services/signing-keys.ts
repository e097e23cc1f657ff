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

// Ed25519 keys that agents hold themselves and sign their requests with (security.md §1, §3):
// the instance stores only the public halves, so a database dump impersonates no one.

/** How a request proved who sent it. */
export type CallerProof = { readonly via: "bearer" } | { readonly via: "signature"; keyId: string };

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
): Promise<SigningKeyRow> {
  const id = uuidv7();
  return insertSigningKey(ctx.db, {
    id,
    agent_id: agent.id,
    // Stable, unique, and naming its agent; not one of the actor's federation keys.
    key_id: `${agent.ap_id}#agent-key-${id.slice(-12)}`,
    public_key: toBase64Url(publicKey),
    created_at: ctx.clock.now().toISOString(),
  });
}

/** The live key `keyId` and the active agent holding it, for verifying a request signature. */
export async function findSigningKey(
  ctx: ServiceContext,
  keyId: string,
): Promise<{ agent: AgentRow; publicKey: Uint8Array } | undefined> {
  const found = await findLiveSigningKey(ctx.db, keyId);
  if (found === undefined || found.agent.is_active !== 1 || found.agent.is_local !== 1) {
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
 * Adds a public key. An agent that has signing keys adds more only with a request signed by one
 * of them; an agent with none yet may add its first with its bearer key.
 */
export async function addSigningKey(
  ctx: ServiceContext,
  agent: AgentRow,
  publicKeyText: string,
  proof: CallerProof,
): Promise<SigningKeyRow> {
  const publicKey = parsePublicKey(publicKeyText);
  return inTransaction(ctx.db, async (trx) => {
    const scoped = { ...ctx, db: trx };
    const live = (await listSigningKeys(trx, agent.id)).filter((k) => k.revoked_at === null);
    if (live.length > 0 && proof.via !== "signature") throw signatureRequired("add");
    const encoded = toBase64Url(publicKey);
    if (live.some((k) => k.public_key === encoded)) {
      throw new AppError("conflict", "This public key is already registered", {
        hint: "Use its key_id from GET /agents/me/keys.",
      });
    }
    return storeSigningKey(scoped, agent, publicKey);
  });
}

/**
 * Revokes one of the agent's keys, with a request signed by one of its current keys. The last
 * credential an agent has cannot be revoked (it would lock the agent out for good).
 */
export async function revokeAgentSigningKey(
  ctx: ServiceContext,
  agent: AgentRow,
  keyId: string,
  proof: CallerProof,
): Promise<void> {
  if (proof.via !== "signature") throw signatureRequired("revoke");
  await inTransaction(ctx.db, async (trx) => {
    const live = (await listSigningKeys(trx, agent.id)).filter((k) => k.revoked_at === null);
    if (!live.some((k) => k.key_id === keyId)) {
      throw new AppError("not_found", "Signing key not found", {
        hint: "List your keys with GET /agents/me/keys; revoked keys cannot be revoked again.",
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

function signatureRequired(action: "add" | "revoke"): AppError {
  return new AppError(
    "forbidden",
    `Sign the request with one of your current keys to ${action} a key`,
    {
      hint: "Requests that change signing keys must carry a Signature made with a key you hold (see /skill.md, “sign your requests”).",
    },
  );
}
