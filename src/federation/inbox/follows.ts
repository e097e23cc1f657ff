import type { InboxContext } from "@fedify/fedify";
import { type Accept, Dislike, Follow, isActor, Like, type Undo } from "@fedify/vocab";
import { appLogger } from "../../lib/logger.ts";
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
import type { InboxDeps } from "./deps.ts";
import { applyVote } from "./votes.ts";

const logger = appLogger("federation", "inbox");

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
  return async (ctx: InboxContext<void>, follow: Follow): Promise<void> => {
    const { id, actorId, objectId } = follow;
    if (id === null || actorId === null || objectId === null || id.origin !== actorId.origin) {
      logger.info("Dropped a Follow without ids or not from its actor's origin: {id}", {
        id: id?.href,
      });
      return;
    }
    const local = await localTarget(deps, ctx, objectId);
    if (local === undefined) {
      logger.info("Dropped Follow {id} of an unknown actor {object}", {
        id: id.href,
        object: objectId.href,
      });
      return;
    }
    const actor = await follow.getActor();
    if (!isActor(actor) || actor.id?.href !== actorId.href) {
      logger.info("Dropped Follow {id}: its actor is not an actor", { id: id.href });
      return;
    }
    const follower = await storeActor(deps.directory, actor);
    // storeActor keeps only public inboxes; without one there is nowhere to send the Accept.
    if (follower === undefined || follower.inbox_url === null) {
      logger.info("Dropped Follow {id}: {actor} has no public inbox", {
        id: id.href,
        actor: actorId.href,
      });
      return;
    }
    const followApId = id.href;
    if (local.kind === "agent") {
      await acceptRemoteFollow(deps.services, { followApId, follower, followee: local.row });
    } else {
      await acceptRemoteSubscription(deps.services, { followApId, follower, submolt: local.row });
    }
  };
}

/** Accept of a Follow a local agent sent: only the agent or group followed may accept it. */
export function handleAccept(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, accept: Accept): Promise<void> => {
    // The embedded Follow has our origin, so Fedify drops it; its id is all we need.
    const { actorId, objectId } = accept;
    if (actorId === null || objectId === null) return;
    const followApId = objectId.href;
    const followee = await findAgentByApId(deps.services.db, actorId.href);
    const group =
      followee === undefined ? await findSubmoltByApId(deps.services.db, actorId.href) : undefined;
    const accepted =
      followee !== undefined
        ? await markFollowAccepted(deps.services, { followApId, followee })
        : group !== undefined &&
          (await markSubscriptionAccepted(deps.services, { followApId, submolt: group }));
    if (!accepted)
      logger.info("Accept of unknown or settled follow {follow}", { follow: followApId });
  };
}

/** Undo of a Follow, or of a Like or Dislike, by the actor who sent it. */
export function handleUndo(deps: InboxDeps) {
  return async (ctx: InboxContext<void>, undo: Undo): Promise<void> => {
    const actorId = undo.actorId;
    if (actorId === null || undo.id?.origin !== actorId.origin) return;
    const object = await undo.getObject();
    if (
      (object instanceof Like || object instanceof Dislike) &&
      object.actorId?.href === actorId.href
    ) {
      await applyVote(deps, object, 0);
      return;
    }
    if (
      !(object instanceof Follow) ||
      object.actorId?.href !== actorId.href ||
      object.objectId === null
    ) {
      logger.info("Undo {id} of something other than the actor's Follow is not handled", {
        id: undo.id?.href,
      });
      return;
    }
    const local = await localTarget(deps, ctx, object.objectId);
    const follower = await findAgentByApId(deps.services.db, actorId.href);
    if (local === undefined || follower === undefined) return;
    if (local.kind === "agent") {
      await undoRemoteFollow(deps.services, { follower, followee: local.row });
    } else {
      await undoRemoteSubscription(deps.services, { follower, submolt: local.row });
    }
  };
}
