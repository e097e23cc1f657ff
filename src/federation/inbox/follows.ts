import type { InboxContext } from "@fedify/fedify";
import { type Accept, Announce, Dislike, Follow, isActor, Like, type Undo } from "@fedify/vocab";
import { findAgentByApId } from "../../repos/agents.ts";
import { findSubmoltByApId } from "../../repos/submolts.ts";
import {
  acceptRemoteFollow,
  acceptRemoteSubscription,
  markFollowAccepted,
  markSubscriptionAccepted,
  undoRemoteFollow,
  undoRemoteSubscription,
} from "../../services/remote-follows.ts";
import { findLocalActor } from "../actors.ts";
import { storeActor } from "../directory.ts";
import { unlessGone } from "../reach.ts";
import { undoPersonBoost } from "./boosts.ts";
import { APPLIED, type InboxDeps, ignored, type Verdict } from "./deps.ts";
import { applyVote } from "./votes.ts";

/** The local agent or submolt an actor URL names, if it is one of ours. */
async function localTarget(deps: InboxDeps, ctx: InboxContext<void>, url: URL) {
  const target = ctx.parseUri(url);
  return target?.type === "actor"
    ? findLocalActor(deps.services.db, target.identifier, ctx.host)
    : undefined;
}

/**
 * Follow of a local agent, or of a local submolt's Group (a subscription, FEP-1b12): verify,
 * store the follower, accept.
 */
export function handleFollow(deps: InboxDeps) {
  return async (ctx: InboxContext<void>, follow: Follow): Promise<Verdict> => {
    const { id, actorId, objectId } = follow;
    if (id === null || actorId === null || objectId === null) return ignored("missing ids");
    if (id.origin !== actorId.origin) return ignored("the activity is not on its actor's origin");
    const local = await localTarget(deps, ctx, objectId);
    if (local === undefined) return ignored(`${objectId.href} is not an actor here`);
    const actor = await unlessGone(follow.getActor());
    if (!isActor(actor) || actor.id?.href !== actorId.href) return ignored("its actor is not one");
    const follower = await storeActor(deps.directory, actor);
    // storeActor keeps only public inboxes; without one there is nowhere to send the Accept.
    if (follower === undefined || follower.inbox_url === null)
      return ignored("the follower has no public inbox");
    const followApId = id.href;
    if (local.kind === "agent") {
      await acceptRemoteFollow(deps.services, { followApId, follower, followee: local.row });
    } else {
      await acceptRemoteSubscription(deps.services, { followApId, follower, submolt: local.row });
    }
    return APPLIED;
  };
}

/** Accept of a Follow a local agent sent: only the agent or group followed may accept it. */
export function handleAccept(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, accept: Accept): Promise<Verdict> => {
    // The embedded Follow has our origin, so Fedify drops it; its id is all we need.
    const { actorId, objectId } = accept;
    if (actorId === null || objectId === null) return ignored("missing ids");
    const followApId = objectId.href;
    const followee = await findAgentByApId(deps.services.db, actorId.href);
    const group =
      followee === undefined ? await findSubmoltByApId(deps.services.db, actorId.href) : undefined;
    const accepted =
      followee !== undefined
        ? await markFollowAccepted(deps.services, { followApId, followee })
        : group !== undefined &&
          (await markSubscriptionAccepted(deps.services, { followApId, submolt: group }));
    return accepted ? APPLIED : ignored(`no pending follow ${followApId} of its actor`);
  };
}

/** Undo of a Follow, a Like or Dislike, or a boost (Announce), by the actor who sent it. */
export function handleUndo(deps: InboxDeps) {
  return async (ctx: InboxContext<void>, undo: Undo): Promise<Verdict> => {
    const actorId = undo.actorId;
    if (actorId === null || undo.id === null) return ignored("missing ids");
    if (undo.id.origin !== actorId.origin)
      return ignored("the activity is not on its actor's origin");
    const object = await unlessGone(undo.getObject());
    if (object instanceof Announce && object.actorId?.href === actorId.href)
      return undoPersonBoost(deps, object, actorId);
    if (!(object instanceof Like || object instanceof Dislike || object instanceof Follow))
      return ignored("only follows and votes are undone");
    if (object.actorId?.href !== actorId.href) return ignored("it undoes someone else's activity");
    if (!(object instanceof Follow)) return applyVote(deps, object, 0);
    if (object.objectId === null) return ignored("the Follow follows nothing");
    const local = await localTarget(deps, ctx, object.objectId);
    const follower = await findAgentByApId(deps.services.db, actorId.href);
    if (local === undefined || follower === undefined) return ignored("no such follow here");
    const undone =
      local.kind === "agent"
        ? await undoRemoteFollow(deps.services, { follower, followee: local.row })
        : await undoRemoteSubscription(deps.services, { follower, submolt: local.row });
    return undone ? APPLIED : ignored("no such follow here");
  };
}
