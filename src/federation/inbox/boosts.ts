import type { InboxContext } from "@fedify/fedify";
import { type Announce, Article, Note, Page } from "@fedify/vocab";
import type { PostRow } from "../../db/schema.ts";
import { findAgentByApId } from "../../repos/agents.ts";
import { hasLocalFollower } from "../../repos/follows.ts";
import { findPostByApId } from "../../repos/posts.ts";
import { findSubmoltByApId } from "../../repos/submolts.ts";
import { receiveRemoteBoost, undoRemoteBoost } from "../../services/boosts.ts";
import { findOrStoreAgent } from "../directory.ts";
import { fetchRemoteObject } from "../lookup.ts";
import { watchLoader } from "../reach.ts";
import { createGuardedLoader } from "../remote-fetch.ts";
import { storePost } from "./create.ts";
import { APPLIED, type InboxDeps, ignored, type Verdict } from "./deps.ts";
import { whyNotAuthentic } from "./relayed.ts";
import { storeBoostedStatus } from "./timeline.ts";

// Boosts by people (an Announce whose actor is not a group): of a local agent's post, counted;
// by someone a local agent follows, of any public post, which is fetched from its own origin and
// kept so that it shows in that agent's personal feed.

/** An Announce by a person (not a group we know). */
export async function applyPersonBoost(
  deps: InboxDeps,
  ctx: InboxContext<void>,
  announce: Announce,
): Promise<Verdict> {
  const { id, actorId, objectId } = announce;
  if (id === null || actorId === null || objectId === null) return ignored("missing ids");
  if (id.origin !== actorId.origin) return ignored("the boost is not on its actor's origin");
  const { db } = deps.services;
  const known = await findPostByApId(db, objectId.href);
  const followed = await findAgentByApId(db, actorId.href);
  const isFollowed = followed !== undefined && (await hasLocalFollower(db, followed.id));
  if (known?.is_local !== 1 && !isFollowed)
    return ignored("a boost by someone no local agent follows, of a post not from here");
  const booster = await findOrStoreAgent(deps.directory, actorId, () => announce.getActor());
  if (booster === undefined || booster.is_local === 1)
    return ignored("its actor could not be resolved");
  if (booster.actor_type === "Group") return ignored("an Announce by a group we do not follow");
  const post = known ?? (await fetchBoosted(deps, ctx, objectId));
  if (typeof post === "string") return ignored(post);
  const recorded = await receiveRemoteBoost(deps.services, { apId: id.href, booster, post });
  return recorded ? APPLIED : ignored("boosted already, or the post was deleted");
}

/** The post a followed person boosted, fetched from its origin and stored; or why not. */
async function fetchBoosted(
  deps: InboxDeps,
  ctx: InboxContext<void>,
  objectId: URL,
): Promise<PostRow | string> {
  const watched = watchLoader(createGuardedLoader(deps.directory.fetchGuard));
  const object = await fetchRemoteObject(objectId, {
    documentLoader: watched.loader,
    contextLoader: ctx.contextLoader,
  }).catch(() => null);
  watched.assertReached(`the boosted ${objectId.href}`);
  if (object === null) return "the boosted post could not be fetched";
  if (!(object instanceof Note || object instanceof Article || object instanceof Page))
    return "it boosts something other than a post";
  const forged = whyNotAuthentic(object);
  if (forged !== undefined) return forged;
  const author = object.attributionId as URL;
  if (object.replyTargetId !== null)
    return "it boosts a reply (a comment), which is not shown on its own";
  const group =
    object.audienceId === null
      ? undefined
      : await findSubmoltByApId(deps.services.db, object.audienceId.href);
  const verdict =
    group !== undefined
      ? await storePost(deps, object, author, { group, activityId: null })
      : await storeBoostedStatus(deps, object, author);
  const post = await findPostByApId(deps.services.db, (object.id as URL).href);
  if (post !== undefined) return post;
  return "ignored" in verdict ? verdict.ignored : "the boosted post could not be stored";
}

/** Undo of a person's boost, by that person. */
export async function undoPersonBoost(
  deps: InboxDeps,
  announce: Announce,
  actorId: URL,
): Promise<Verdict> {
  if (announce.id === null) return ignored("it undoes a boost without id");
  const booster = await findAgentByApId(deps.services.db, actorId.href);
  if (booster === undefined) return ignored("no such boost here");
  const undone = await undoRemoteBoost(deps.services, { apId: announce.id.href, booster });
  return undone ? APPLIED : ignored("no such boost here");
}
