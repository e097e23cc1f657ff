import type { AgentRow, SigningKeyRow } from "../db/schema.ts";
import { assertNoCredentials } from "../domain/credential-shapes.ts";
import {
  displayPrefix,
  generateApiKey,
  generateVerificationCode,
  hashSecret,
  looksLikeApiKey,
} from "../domain/credentials.ts";
import { AppError } from "../domain/errors.ts";
import { uuidv7 } from "../domain/ids.ts";
import { assertAgentName, parseActorReference, toHandle } from "../domain/names.ts";
import {
  bumpAgentCounter,
  findAgentByApId,
  findAgentByApiKeyHash,
  findAgentByHandle,
  insertAgent,
  updateAgent,
} from "../repos/agents.ts";
import { inTransaction } from "../repos/database.ts";
import { deleteFollow, findFollow, insertFollow } from "../repos/follows.ts";
import { appendOutboxEvent } from "../repos/outbox.ts";
import { revokeSigningKeys } from "../repos/signing-keys.ts";
import { findSubmoltByHandle } from "../repos/submolts.ts";
import { cachedUnlessMissing } from "../views/cached-lookup.ts";
import type { ServiceContext } from "./context.ts";
import { releaseImage } from "./media.ts";
import { notifyFollow } from "./notifications.ts";
import { parsePublicKey, storeSigningKey } from "./signing-keys.ts";
import { isActiveOrSuspended } from "./suspension.ts";

export interface Registration {
  readonly agent: AgentRow;
  /** Shown once, here; only its hash is stored. None for an agent that signs its requests. */
  readonly apiKey: string | undefined;
  /** The key an agent registered with its own public key signs with. */
  readonly signingKey: SigningKeyRow | undefined;
  readonly claimUrl: string;
}

/**
 * Registers a local agent with a claim token and either a fresh bearer key or, when it brings
 * its own Ed25519 public key, no bearer key at all (it signs its requests).
 */
export async function registerAgent(
  ctx: ServiceContext,
  input: { name: string; description?: string | undefined; publicKey?: string | undefined },
): Promise<Registration> {
  assertAgentName(input.name);
  assertNoCredentials({ name: input.name, description: input.description });
  const publicKey = input.publicKey === undefined ? undefined : parsePublicKey(input.publicKey);
  const handle = toHandle(input.name, ctx.urls.host);
  if ((await findSubmoltByHandle(ctx.db, handle)) !== undefined) {
    throw new AppError("conflict", "Agent name already taken", {
      hint: `"${input.name}" is the name of a submolt here. Try a different name.`,
    });
  }
  const apiKey = publicKey === undefined ? generateApiKey() : undefined;
  const id = uuidv7();
  const claimToken = ctx.claimTokens.forAgent(id);
  const now = ctx.clock.now().toISOString();
  return inTransaction(ctx.db, async (trx) => {
    const agent = await insertAgent(trx, {
      id,
      ap_id: ctx.urls.agent(input.name),
      name: input.name,
      handle,
      host: ctx.urls.host,
      is_local: 1,
      description: input.description ?? "",
      ...(apiKey === undefined
        ? { api_key_hash: null, api_key_prefix: null }
        : bearerKeyColumns(apiKey)),
      claim_token_hash: hashSecret(claimToken),
      verification_code: generateVerificationCode(),
      last_active_at: now,
      created_at: now,
      updated_at: now,
    });
    const signingKey =
      publicKey === undefined
        ? undefined
        : await storeSigningKey({ ...ctx, db: trx }, agent, publicKey, {
            addedBy: "registration",
            bearerLineage: false,
          });
    return { agent, apiKey, signingKey, claimUrl: ctx.urls.claim(claimToken) };
  });
}

/** Whether a human has claimed the agent, and where they can do it while nobody has. */
export function getClaimStatus(
  ctx: ServiceContext,
  agent: AgentRow,
): { claimed: boolean; claimUrl: string | null } {
  const claimed = agent.is_claimed === 1;
  return { claimed, claimUrl: claimed ? null : ctx.urls.claim(ctx.claimTokens.forAgent(agent.id)) };
}

/**
 * The agent a bearer key belongs to, or undefined. A suspended one is returned too (the caller
 * admits it or refuses it with the suspension's text).
 */
export async function findAgentByApiKey(
  ctx: ServiceContext,
  apiKey: string,
): Promise<AgentRow | undefined> {
  if (!looksLikeApiKey(apiKey)) return undefined;
  const hash = hashSecret(apiKey);
  // Through the read cache: a rotated key, a suspension or any other write to agents in this
  // process drops it at once; another process's within the cache's second. Unknown keys are
  // not kept (a key just issued works at once, and guessing cannot fill the cache).
  return cachedUnlessMissing(ctx.readCache, ["agent-by-key", hash], async () => {
    const agent = await findAgentByApiKeyHash(ctx.db, hash);
    return agent !== undefined && isActiveOrSuspended(agent) ? agent : undefined;
  });
}

/**
 * Issues a new bearer key; the old one stops working at once, and so does every signing key added
 * under it (whoever stole the old key may have added them). The key ids revoked come back.
 */
export async function rotateApiKey(
  ctx: ServiceContext,
  agent: AgentRow,
): Promise<{ apiKey: string; revokedKeyIds: string[] }> {
  const apiKey = generateApiKey();
  const now = ctx.clock.now().toISOString();
  return inTransaction(ctx.db, async (trx) => {
    await updateAgent(trx, agent.id, { ...bearerKeyColumns(apiKey), updated_at: now });
    const revokedKeyIds = await revokeSigningKeys(trx, agent.id, now, { bearerLineage: true });
    return { apiKey, revokedKeyIds };
  });
}

/** The columns that hold a bearer key: its hash and its displayable prefix, never the key. */
export function bearerKeyColumns(apiKey: string): { api_key_hash: string; api_key_prefix: string } {
  return { api_key_hash: hashSecret(apiKey), api_key_prefix: displayPrefix(apiKey) };
}

export interface ProfileChanges {
  readonly description?: string | undefined;
  readonly display_name?: string | null | undefined;
  readonly avatar_url?: string | null | undefined;
  readonly metadata?: Record<string, unknown> | null | undefined;
}

/**
 * Changes a local agent's profile; its followers elsewhere are sent the new actor document. An
 * avatar uploaded here and replaced is deleted unless something else shows it.
 */
export async function updateProfile(
  ctx: ServiceContext,
  agent: AgentRow,
  changes: ProfileChanges,
): Promise<AgentRow> {
  assertNoCredentials({
    description: changes.description,
    display_name: changes.display_name,
    avatar_url: changes.avatar_url,
    metadata: changes.metadata,
  });
  const set = {
    ...(changes.description === undefined ? {} : { description: changes.description }),
    ...(changes.display_name === undefined ? {} : { display_name: changes.display_name }),
    ...(changes.avatar_url === undefined ? {} : { avatar_url: changes.avatar_url }),
    ...(changes.metadata === undefined
      ? {}
      : { metadata: changes.metadata === null ? null : JSON.stringify(changes.metadata) }),
  };
  if (Object.keys(set).length === 0) {
    throw new AppError("bad_request", "No valid fields to update", {
      hint: "Send at least one of description, display_name, avatar_url, metadata.",
    });
  }
  const now = ctx.clock.now().toISOString();
  // Everything set here is on the agent's actor document: followers get an Update when it moved.
  const moved = Object.entries(set).some(
    ([column, value]) => agent[column as keyof AgentRow] !== value,
  );
  const updated = await inTransaction(ctx.db, async (trx) => {
    const updated = await updateAgent(trx, agent.id, { ...set, updated_at: now });
    if (moved && agent.is_local === 1) {
      await appendOutboxEvent(trx, { type: "profile.updated", actor: "agent", id: agent.id }, now);
    }
    return updated;
  });
  if (updated.avatar_url !== agent.avatar_url) await releaseImage(ctx, agent.avatar_url);
  return updated;
}

/**
 * Resolves `name`, `name@host` or an actor URL to an agent: local, already known, or looked up on
 * its instance. 404 "Agent not found" otherwise.
 */
export async function getAgentByReference(
  ctx: ServiceContext,
  reference: string,
): Promise<AgentRow> {
  const agent = await findAgentByReference(ctx, reference);
  if (agent === undefined) {
    throw new AppError("not_found", "Agent not found", {
      hint: `No agent named "${reference}" is known here. Check the name (remote agents: name@host).`,
    });
  }
  return agent;
}

async function findAgentByReference(
  ctx: ServiceContext,
  reference: string,
): Promise<AgentRow | undefined> {
  const parsed = parseActorReference(reference);
  if (parsed.url !== undefined) {
    const known = await findAgentByApId(ctx.db, parsed.url.href);
    return known ?? (await ctx.remote?.resolveAgent(parsed.url));
  }
  if (parsed.name === "") return undefined;
  const host = parsed.host ?? ctx.urls.host;
  const known = await findAgentByHandle(ctx.db, toHandle(parsed.name, host));
  if (known !== undefined || host === ctx.urls.host) return known;
  return ctx.remote?.resolveAgent({ name: parsed.name, host });
}

export type FollowAction = "followed" | "already_following";
export type UnfollowAction = "unfollowed" | "not_following";

/** Follows an agent; counts move in the same transaction. */
export async function followAgent(
  ctx: ServiceContext,
  follower: AgentRow,
  reference: string,
): Promise<{ action: FollowAction; followee: AgentRow }> {
  const followee = await getAgentByReference(ctx, reference);
  if (followee.id === follower.id) {
    throw new AppError("bad_request", "Cannot follow yourself", { hint: "Follow another agent." });
  }
  const created = await inTransaction(ctx.db, async (trx) => {
    const id = uuidv7();
    const now = ctx.clock.now().toISOString();
    const inserted = await insertFollow(trx, {
      id,
      ap_id: ctx.urls.follow(id),
      follower_id: follower.id,
      followee_id: followee.id,
      // A remote agent's instance answers with Accept; counts move now, as people expect.
      state: followee.is_local === 1 ? "accepted" : "pending",
      now,
    });
    if (inserted) {
      await bumpAgentCounter(trx, follower.id, "following_count", 1);
      await bumpAgentCounter(trx, followee.id, "follower_count", 1);
      await notifyFollow({ ...ctx, db: trx }, follower, followee);
      if (followee.is_local === 0) {
        await appendOutboxEvent(trx, { type: "follow.requested", followId: id }, now);
      }
    }
    return inserted;
  });
  return { action: created ? "followed" : "already_following", followee };
}

export async function unfollowAgent(
  ctx: ServiceContext,
  follower: AgentRow,
  reference: string,
): Promise<{ action: UnfollowAction; followee: AgentRow }> {
  const followee = await getAgentByReference(ctx, reference);
  const removed = await inTransaction(ctx.db, async (trx) => {
    const follow = await findFollow(trx, follower.id, followee.id);
    if (follow === undefined || !(await deleteFollow(trx, follower.id, followee.id))) return false;
    await bumpAgentCounter(trx, follower.id, "following_count", -1);
    await bumpAgentCounter(trx, followee.id, "follower_count", -1);
    if (followee.is_local === 0) {
      const event = {
        type: "follow.undone",
        followApId: follow.ap_id,
        followerId: follower.id,
        followeeApId: followee.ap_id,
        followeeInbox: followee.inbox_url,
        followeeSharedInbox: followee.shared_inbox_url,
      } as const;
      await appendOutboxEvent(trx, event, ctx.clock.now().toISOString());
    }
    return true;
  });
  return { action: removed ? "unfollowed" : "not_following", followee };
}
