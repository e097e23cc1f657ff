import type { InboxContext } from "@fedify/fedify";
import { type Accept, Follow, isActor, type Undo } from "@fedify/vocab";
import { appLogger } from "../../lib/logger.ts";
import { findAgentByApId } from "../../repos/agents.ts";
import {
  acceptRemoteFollow,
  markFollowAccepted,
  undoRemoteFollow,
} from "../../services/remote-follows.ts";
import { findLocalActor } from "../actors.ts";
import { storeActor } from "../directory.ts";
import type { InboxDeps } from "./deps.ts";

const logger = appLogger("federation", "inbox");

/** Follow of a local agent: verify, store the follower, accept. */
export function handleFollow(deps: InboxDeps) {
  return async (ctx: InboxContext<void>, follow: Follow): Promise<void> => {
    const { id, actorId, objectId } = follow;
    if (id === null || actorId === null || objectId === null || id.origin !== actorId.origin) {
      logger.info("Dropped a Follow without ids or from another origin than its actor: {id}", {
        id: id?.href,
      });
      return;
    }
    const target = ctx.parseUri(objectId);
    const local =
      target?.type === "actor"
        ? await findLocalActor(deps.services.db, target.identifier, ctx.host)
        : undefined;
    if (local === undefined) {
      logger.info("Dropped Follow {id} of an unknown actor {object}", {
        id: id.href,
        object: objectId.href,
      });
      return;
    }
    if (local.kind !== "agent") {
      // TODO(federation issue): FEP-1b12 subscriptions of local submolts.
      logger.info("Follow {id} of submolt {object} is not handled yet", {
        id: id.href,
        object: objectId.href,
      });
      return;
    }
    const actor = await follow.getActor();
    if (!isActor(actor) || actor.id?.href !== actorId.href) return;
    const follower = await storeActor(deps.directory, actor);
    if (follower === undefined) return;
    await acceptRemoteFollow(deps.services, { followApId: id.href, follower, followee: local.row });
  };
}

/** Accept of a Follow a local agent sent: only the followee may accept it. */
export function handleAccept(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, accept: Accept): Promise<void> => {
    // The embedded Follow has our origin, so Fedify drops it; its id is all we need.
    const { actorId, objectId } = accept;
    if (actorId === null || objectId === null) return;
    const followee = await findAgentByApId(deps.services.db, actorId.href);
    if (followee === undefined) return;
    const accepted = await markFollowAccepted(deps.services, {
      followApId: objectId.href,
      followee,
    });
    if (!accepted)
      logger.info("Accept of unknown or settled follow {follow}", { follow: objectId.href });
  };
}

/** Undo(Follow) by the follower who sent it. */
export function handleUndo(deps: InboxDeps) {
  return async (ctx: InboxContext<void>, undo: Undo): Promise<void> => {
    const actorId = undo.actorId;
    if (actorId === null || undo.id?.origin !== actorId.origin) return;
    const object = await undo.getObject();
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
    const target = ctx.parseUri(object.objectId);
    const local =
      target?.type === "actor"
        ? await findLocalActor(deps.services.db, target.identifier, ctx.host)
        : undefined;
    const follower = await findAgentByApId(deps.services.db, actorId.href);
    if (local?.kind !== "agent" || follower === undefined) return;
    await undoRemoteFollow(deps.services, { follower, followee: local.row });
  };
}
