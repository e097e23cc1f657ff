import type { Context } from "@fedify/fedify";
import { PUBLIC_COLLECTION, Update } from "@fedify/vocab";
import type { DomainEvent } from "../../domain/events.ts";
import { findAgentById } from "../../repos/agents.ts";
import type { DbHandle } from "../../repos/database.ts";
import { hasLaterPendingEvent } from "../../repos/outbox.ts";
import { findSubmoltById } from "../../repos/submolts.ts";
import { agentActor, submoltActor } from "../actors.ts";

type ProfileUpdated = Extract<DomainEvent, { type: "profile.updated" }>;

/**
 * A local agent's profile or a local submolt's settings changed: an Update of its actor document,
 * as the actor dispatcher serves it now, from the actor to its followers. Without it Mastodon-
 * family servers keep the old name and bio for days (they refetch actors rarely).
 */
export async function publishProfileUpdate(
  ctx: Context<void>,
  db: DbHandle,
  eventId: string,
  event: ProfileUpdated,
): Promise<void> {
  // Each Update carries the whole current document: when a later one is waiting, it says it all.
  if (await hasLaterPendingEvent(db, eventId, event)) return;
  const document = await currentDocument(ctx, db, event);
  if (document === undefined) return;
  const { identifier, actor } = document;
  const actorId = ctx.getActorUri(identifier);
  await ctx.sendActivity(
    { identifier },
    "followers",
    new Update({
      // A path under the actor, so that it can be served at its id.
      id: new URL(`${actorId.href}/updates/${eventId}`),
      actor: actorId,
      object: actor,
      tos: [PUBLIC_COLLECTION],
      ccs: [ctx.getFollowersUri(identifier)],
    }),
    { preferSharedInbox: true, orderingKey: actorId.href },
  );
}

async function currentDocument(ctx: Context<void>, db: DbHandle, event: ProfileUpdated) {
  if (event.actor === "agent") {
    const agent = await findAgentById(db, event.id);
    // A suspended agent is no actor while suspended: it has nothing to announce.
    if (agent === undefined || agent.is_local !== 1 || agent.suspended_at !== null) return;
    const identifier = agent.name.toLowerCase();
    return { identifier, actor: await agentActor(ctx, identifier, agent, db) };
  }
  const submolt = await findSubmoltById(db, event.id);
  if (submolt === undefined || submolt.is_local !== 1) return;
  const identifier = submolt.name.toLowerCase();
  return { identifier, actor: await submoltActor(ctx, identifier, submolt) };
}
