import type { AgentRow, SubmoltRow } from "../db/schema.ts";
import { uuidv7 } from "../domain/ids.ts";
import { bumpAgentCounter, findAgentByApId } from "../repos/agents.ts";
import { type DbHandle, inTransaction } from "../repos/database.ts";
import {
  acceptFollowByApId,
  deleteFollow,
  findFollow,
  insertFollow,
  listFolloweeIds,
} from "../repos/follows.ts";
import { appendOutboxEvent } from "../repos/outbox.ts";
import { bumpSubscriberCount } from "../repos/submolts.ts";
import {
  acceptSubscriptionByApId,
  deleteSubscription,
  insertSubscription,
  listSubscribedSubmoltIds,
} from "../repos/subscriptions.ts";
import type { ServiceContext } from "./context.ts";
import { notifyFollow } from "./notifications.ts";

// Follows that arrive from other instances. The inbox handlers verify who is asking; these apply.

/**
 * A remote actor follows a local agent: recorded as accepted (agents approve followers
 * automatically) and answered with an Accept, also when the follow was already known, since
 * the remote side may have lost our first answer.
 */
export async function acceptRemoteFollow(
  ctx: ServiceContext,
  input: { followApId: string; follower: AgentRow; followee: AgentRow },
): Promise<void> {
  const { follower, followee } = input;
  await inTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now().toISOString();
    const inserted = await insertFollow(trx, {
      id: uuidv7(),
      ap_id: input.followApId,
      follower_id: follower.id,
      followee_id: followee.id,
      state: "accepted",
      now,
    });
    if (inserted) {
      await bumpAgentCounter(trx, follower.id, "following_count", 1);
      await bumpAgentCounter(trx, followee.id, "follower_count", 1);
      await notifyFollow({ ...ctx, db: trx }, follower, followee);
    }
    const event = {
      type: "follow.accepted",
      followApId: input.followApId,
      followerId: follower.id,
      followeeIdentifier: followee.name.toLowerCase(),
    } as const;
    await appendOutboxEvent(trx, event, now);
  });
}

/** A remote follower withdrew its follow of a local agent. */
export async function undoRemoteFollow(
  ctx: ServiceContext,
  input: { follower: AgentRow; followee: AgentRow },
): Promise<boolean> {
  return inTransaction(ctx.db, (trx) => endFollow(trx, input.follower.id, input.followee.id));
}

async function endFollow(trx: DbHandle, followerId: string, followeeId: string): Promise<boolean> {
  if ((await findFollow(trx, followerId, followeeId)) === undefined) return false;
  await deleteFollow(trx, followerId, followeeId);
  await bumpAgentCounter(trx, followerId, "following_count", -1);
  await bumpAgentCounter(trx, followeeId, "follower_count", -1);
  return true;
}

/** The followee's instance accepted a local agent's Follow. */
export async function markFollowAccepted(
  ctx: ServiceContext,
  input: { followApId: string; followee: AgentRow },
): Promise<boolean> {
  return acceptFollowByApId(
    ctx.db,
    input.followApId,
    input.followee.id,
    ctx.clock.now().toISOString(),
  );
}

/** A remote actor subscribes to a local submolt (Follow of its Group): accepted at once. */
export async function acceptRemoteSubscription(
  ctx: ServiceContext,
  input: { followApId: string; follower: AgentRow; submolt: SubmoltRow },
): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now().toISOString();
    const inserted = await insertSubscription(trx, {
      id: uuidv7(),
      ap_id: input.followApId,
      agent_id: input.follower.id,
      submolt_id: input.submolt.id,
      state: "accepted",
      now,
    });
    if (inserted) await bumpSubscriberCount(trx, input.submolt.id, 1);
    const event = {
      type: "follow.accepted",
      followApId: input.followApId,
      followerId: input.follower.id,
      followeeIdentifier: input.submolt.name.toLowerCase(),
    } as const;
    await appendOutboxEvent(trx, event, now);
  });
}

/** A remote subscriber left a local submolt. */
export async function undoRemoteSubscription(
  ctx: ServiceContext,
  input: { follower: AgentRow; submolt: SubmoltRow },
): Promise<boolean> {
  return inTransaction(ctx.db, (trx) => endSubscription(trx, input.follower.id, input.submolt.id));
}

async function endSubscription(
  trx: DbHandle,
  agentId: string,
  submoltId: string,
): Promise<boolean> {
  if (!(await deleteSubscription(trx, agentId, submoltId))) return false;
  await bumpSubscriberCount(trx, submoltId, -1);
  return true;
}

/**
 * A remote actor is gone (its server answers 404 or 410 for it): it stops following local
 * agents and leaves local submolts, so nothing more is sent to it. Returns how many ended.
 */
export async function removeGoneRemoteActor(ctx: ServiceContext, apId: string): Promise<number> {
  return inTransaction(ctx.db, async (trx) => {
    const actor = await findAgentByApId(trx, apId);
    if (actor === undefined || actor.is_local === 1) return 0;
    let ended = 0;
    for (const followeeId of await listFolloweeIds(trx, actor.id)) {
      if (await endFollow(trx, actor.id, followeeId)) ended++;
    }
    for (const submoltId of await listSubscribedSubmoltIds(trx, actor.id)) {
      if (await endSubscription(trx, actor.id, submoltId)) ended++;
    }
    return ended;
  });
}

/** A remote submolt accepted a local agent's subscription. */
export async function markSubscriptionAccepted(
  ctx: ServiceContext,
  input: { followApId: string; submolt: SubmoltRow },
): Promise<boolean> {
  return acceptSubscriptionByApId(
    ctx.db,
    input.followApId,
    input.submolt.id,
    ctx.clock.now().toISOString(),
  );
}
