import type { AgentRow, SigningKeyRow } from "../db/schema.ts";
import { generateApiKey } from "../domain/credentials.ts";
import { AppError } from "../domain/errors.ts";
import { toHandle } from "../domain/names.ts";
import { recoveryCodeOf } from "../domain/recovery.ts";
import { findAgentByHandle, updateAgent } from "../repos/agents.ts";
import { inTransaction } from "../repos/database.ts";
import { revokeSigningKeys } from "../repos/signing-keys.ts";
import { bearerKeyColumns } from "./agents.ts";
import { fetchProofPost, refusal } from "./claiming.ts";
import type { ServiceContext } from "./context.ts";
import { consumeClaimAttempt } from "./rate-limits.ts";
import { parsePublicKey, storeSigningKey } from "./signing-keys.ts";

// The way back when every credential of an agent is lost or in someone else's hands: its owner
// (the person who claimed it) posts a fresh code from the same fediverse account, and every
// credential is replaced. The owner's account is the root of trust (docs/decisions/0006).

const RECOVERY_TTL_MS = 60 * 60_000;

export interface RecoveryStart {
  readonly agent: AgentRow;
  /** The requester's secret: only it can finish the recovery. */
  readonly token: string;
  /** What the owner posts. */
  readonly code: string;
  readonly expiresAt: string;
}

/** Issues a recovery token and its code for a claimed local agent (anyone may ask). */
export async function startRecovery(ctx: ServiceContext, name: string): Promise<RecoveryStart> {
  const agent = await getRecoverableAgent(ctx, name);
  const expiresAt = new Date(ctx.clock.now().getTime() + RECOVERY_TTL_MS);
  const token = ctx.recoveryTokens.issue(agent.id, expiresAt);
  return { agent, token, code: recoveryCodeOf(token), expiresAt: expiresAt.toISOString() };
}

export interface Recovery {
  readonly agent: AgentRow;
  /** The agent's only bearer key from now on, shown once. */
  readonly apiKey: string;
  readonly signingKey: SigningKeyRow | undefined;
  readonly revokedKeyIds: readonly string[];
}

/**
 * Replaces every credential of the agent (bearer key and signing keys; optionally registers
 * `publicKey`) once its owner's account has published the token's code in a public post.
 * Refused, changing nothing, for a wrong or expired token, an unclaimed agent, or a post that is
 * not the owner's or lacks the code.
 */
export async function recoverAgent(
  ctx: ServiceContext,
  input: {
    name: string;
    recoveryToken: string;
    postUrl: URL;
    publicKey?: string | undefined;
    client: string;
  },
): Promise<Recovery> {
  const agent = await getRecoverableAgent(ctx, input.name);
  if (!ctx.recoveryTokens.isValid(input.recoveryToken, agent.id, ctx.clock.now())) {
    throw refusal("invalid_recovery_token", "Invalid or expired recovery token", {
      hint: "Start again with POST /api/v1/agents/recover/start: a token lasts an hour and belongs to one agent.",
    });
  }
  const publicKey = input.publicKey === undefined ? undefined : parsePublicKey(input.publicKey);
  await consumeClaimAttempt(ctx, { client: input.client, token: input.recoveryToken });
  const code = recoveryCodeOf(input.recoveryToken);
  const author = await fetchProofPost(ctx, agent, input.postUrl, code);
  if (author !== agent.owner_ap_id) {
    throw new AppError("forbidden", "The post is not by the agent's owner", {
      hint: `Post the code from the account that claimed ${agent.name}: ${agent.owner_ap_id}.`,
      details: { reason: "not_owner" },
    });
  }
  const apiKey = generateApiKey();
  const now = ctx.clock.now().toISOString();
  return inTransaction(ctx.db, async (trx) => {
    const revokedKeyIds = await revokeSigningKeys(trx, agent.id, now);
    const updated = await updateAgent(trx, agent.id, {
      ...bearerKeyColumns(apiKey),
      updated_at: now,
    });
    const signingKey =
      publicKey === undefined
        ? undefined
        : await storeSigningKey({ ...ctx, db: trx }, agent, publicKey, {
            addedBy: "recovery",
            bearerLineage: false,
          });
    return { agent: updated, apiKey, signingKey, revokedKeyIds };
  });
}

async function getRecoverableAgent(ctx: ServiceContext, name: string): Promise<AgentRow> {
  const agent = await findAgentByHandle(ctx.db, toHandle(name, ctx.urls.host));
  if (agent === undefined || agent.is_local !== 1) {
    throw new AppError("not_found", "Agent not found", {
      hint: `No agent named "${name}" lives on this instance.`,
    });
  }
  if (agent.is_claimed !== 1 || agent.owner_ap_id === null) {
    throw refusal("not_claimed", "This agent has no owner to recover it", {
      hint: "Only a claimed agent can be recovered, by the person who claimed it. An unclaimed agent that lost its key registers again.",
    });
  }
  return agent;
}
