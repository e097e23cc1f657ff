import type { AgentRow } from "../db/schema.ts";
import { AppError } from "../domain/errors.ts";
import { parseInstanceHost, registrableDomain } from "../domain/hosts.ts";
import { toHandle } from "../domain/names.ts";
import { findAgentByHandle } from "../repos/agents.ts";
import {
  type ActorBlock,
  deleteActorBlock,
  deleteInstanceBlock,
  type InstanceBlock,
  insertActorBlock,
  insertInstanceBlock,
  isActorBlocked,
  isHostBlocked,
  listActorBlocks,
  listInstanceBlocks,
  listSuspendedAgents,
  type SuspendedAgent,
} from "../repos/blocks.ts";
import type { ServiceContext } from "./context.ts";
import { assertInboxQuotaLeft } from "./rate-limits.ts";
import { lift, suspend } from "./suspension.ts";

// The operator's controls: defederating instances, blocking actors, suspending local agents.
// Blocks take effect at once everywhere they are checked (inbox door, inbox handlers, every
// fetch, every delivery, every listing), in every process, and undoing one restores what it hid.

/** Blocks an instance (and its subdomains); false when it was blocked already. */
export async function blockInstance(
  ctx: ServiceContext,
  input: string,
  reason?: string,
): Promise<{ host: string; blocked: boolean }> {
  const host = parseInstanceHost(input);
  if (host === ctx.urls.host) {
    throw new AppError("bad_request", "An instance cannot block itself", {
      hint: "Suspend local agents with suspend-agent instead.",
    });
  }
  const now = ctx.clock.now().toISOString();
  const blocked = await insertInstanceBlock(ctx.db, {
    host,
    reason: reason ?? null,
    created_at: now,
  });
  return { host, blocked };
}

export async function unblockInstance(
  ctx: ServiceContext,
  input: string,
): Promise<{ host: string; unblocked: boolean }> {
  const host = parseInstanceHost(input);
  return { host, unblocked: await deleteInstanceBlock(ctx.db, host) };
}

/** Blocks one remote actor by its ActivityPub id; false when it was blocked already. */
export async function blockActor(
  ctx: ServiceContext,
  input: string,
  reason?: string,
): Promise<{ apId: string; blocked: boolean }> {
  const apId = parseRemoteActorId(ctx, input);
  const now = ctx.clock.now().toISOString();
  return {
    apId,
    blocked: await insertActorBlock(ctx.db, {
      ap_id: apId,
      reason: reason ?? null,
      created_at: now,
    }),
  };
}

export async function unblockActor(
  ctx: ServiceContext,
  input: string,
): Promise<{ apId: string; unblocked: boolean }> {
  const apId = parseRemoteActorId(ctx, input);
  return { apId, unblocked: await deleteActorBlock(ctx.db, apId) };
}

/**
 * Suspends a local agent until an operator lifts it: its API key is refused (403, with the
 * reason), its content is hidden here, and it stops federating (its actor is not served, nothing
 * is sent in its name). The agent is told.
 */
export async function suspendAgent(
  ctx: ServiceContext,
  name: string,
  reason?: string,
): Promise<{ agent: AgentRow; changed: boolean }> {
  const agent = await getLocalAgent(ctx, name);
  if (agent.suspended_at !== null) return { agent, changed: false };
  const suspended = await suspend(ctx, agent, { reason: reason ?? null, until: null });
  return { agent: suspended, changed: true };
}

/** Lifts an agent's suspension (an operator's or an automatic one); the agent is told. */
export async function unsuspendAgent(
  ctx: ServiceContext,
  name: string,
): Promise<{ agent: AgentRow; changed: boolean }> {
  const agent = await getLocalAgent(ctx, name);
  if (agent.suspended_at === null) return { agent, changed: false };
  return { agent: await lift(ctx, agent), changed: true };
}

export interface BlockLists {
  readonly instances: readonly InstanceBlock[];
  readonly actors: readonly ActorBlock[];
  readonly suspendedAgents: readonly SuspendedAgent[];
}

export async function listBlocks(ctx: ServiceContext): Promise<BlockLists> {
  const [instances, actors, suspendedAgents] = await Promise.all([
    listInstanceBlocks(ctx.db),
    listActorBlocks(ctx.db),
    listSuspendedAgents(ctx.db),
  ]);
  return { instances, actors, suspendedAgents };
}

/**
 * The door of the inbox, before anything of the request is read: a request signed with a key of
 * a blocked instance or actor is refused (403), and so is one whose instance has had its quota
 * of verified activities this minute (429 with Retry-After). Only the key id is looked at, which
 * costs nothing; a forged key id fails the signature check later and is not counted.
 */
export async function admitInboundRequest(ctx: ServiceContext, keyId: URL): Promise<void> {
  const actor = new URL(keyId);
  actor.hash = "";
  if (await isHostBlocked(ctx.db, keyId.host)) {
    throw new AppError("forbidden", "This instance does not federate with yours", {
      hint: "The operator of this instance has blocked your instance.",
      details: { reason: "instance_blocked" },
    });
  }
  if (await isActorBlocked(ctx.db, actor.href)) {
    throw new AppError("forbidden", "This instance does not accept your activities", {
      hint: "The operator of this instance has blocked your account.",
      details: { reason: "actor_blocked" },
    });
  }
  await assertInboxQuotaLeft(ctx, registrableDomain(keyId.hostname));
}

async function getLocalAgent(ctx: ServiceContext, name: string): Promise<AgentRow> {
  const agent = await findAgentByHandle(ctx.db, toHandle(name.trim(), ctx.urls.host));
  if (agent === undefined || agent.is_local !== 1) {
    throw new AppError("not_found", "Agent not found", {
      hint: `No local agent named "${name}". Remote actors are blocked with block-actor <url>.`,
    });
  }
  return agent;
}

function parseRemoteActorId(ctx: ServiceContext, input: string): string {
  const url = URL.parse(input.trim());
  if (url === null || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new AppError("validation_failed", `Not an actor URL: ${JSON.stringify(input)}`, {
      hint: "Give the actor's ActivityPub id, e.g. https://mastodon.example/users/someone.",
    });
  }
  if (url.host === ctx.urls.host) {
    throw new AppError("bad_request", "Local agents are suspended, not blocked", {
      hint: "Use suspend-agent <name>.",
    });
  }
  url.hash = "";
  return url.href;
}

/** The operator's controls bound to one instance, as the CLI uses them. */
export interface OperatorControls {
  blockInstance(host: string, reason?: string): ReturnType<typeof blockInstance>;
  unblockInstance(host: string): ReturnType<typeof unblockInstance>;
  blockActor(url: string, reason?: string): ReturnType<typeof blockActor>;
  unblockActor(url: string): ReturnType<typeof unblockActor>;
  suspendAgent(name: string, reason?: string): ReturnType<typeof suspendAgent>;
  unsuspendAgent(name: string): ReturnType<typeof unsuspendAgent>;
  listBlocks(): Promise<BlockLists>;
}

export function createOperatorControls(ctx: ServiceContext): OperatorControls {
  return {
    blockInstance: (host, reason) => blockInstance(ctx, host, reason),
    unblockInstance: (host) => unblockInstance(ctx, host),
    blockActor: (url, reason) => blockActor(ctx, url, reason),
    unblockActor: (url) => unblockActor(ctx, url),
    suspendAgent: (name, reason) => suspendAgent(ctx, name, reason),
    unsuspendAgent: (name) => unsuspendAgent(ctx, name),
    listBlocks: () => listBlocks(ctx),
  };
}
