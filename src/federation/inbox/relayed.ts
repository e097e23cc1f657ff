import {
  Activity,
  type Object as APObject,
  Article,
  Create,
  Delete,
  Dislike,
  Like,
  Note,
  Page,
  Undo,
  Update,
} from "@fedify/vocab";
import type { SubmoltRow } from "../../db/schema.ts";
import { findPostByApId } from "../../repos/posts.ts";
import { fetchRemoteObject, type Loaders } from "../lookup.ts";
import { unlessGone } from "../reach.ts";
import { applyDelete, refreshFrom } from "./changes.ts";
import { asPost, storeNote, storePost } from "./create.ts";
import { type InboxDeps, ignored, type Verdict } from "./deps.ts";
import { applyVote } from "./votes.ts";

// What a submolt relays (FEP-1b12) was fetched by its id from that id's origin, so the origin
// vouches for it; but only for what it says of its own actors. Every relayed activity or object
// must therefore be on its actor's (or author's) origin before anything of it is applied: a
// group could otherwise host an Undo, Update or Delete "by" someone on another server.

/**
 * Why a relayed object (already fetched from its id's origin) cannot be taken as its actor's
 * own, or undefined when it can: its id must be on the origin of its actor (an activity) or of
 * its author (a post or comment).
 */
export function whyNotAuthentic(object: APObject): string | undefined {
  const owner =
    object instanceof Activity
      ? object.actorId
      : object instanceof Page || object instanceof Note || object instanceof Article
        ? object.attributionId
        : undefined;
  if (owner === undefined) return "it relays something other than a post, comment or activity";
  if (object.id === null || owner === null) return "the relayed object has no id or no actor";
  if (object.id.origin !== owner.origin) return "the relayed object is not on its actor's origin";
  return undefined;
}

/**
 * Applies what `group` relayed, once `whyNotAuthentic` passed: a post or comment (new, or an
 * edit of a known one), a Create or Update of one by its author, a Delete, a vote, or the Undo
 * of a vote by its voter (Lemmy's shape). `loaders` fetch what the activity points at.
 */
export async function applyRelayed(
  deps: InboxDeps,
  group: SubmoltRow,
  relayed: APObject,
  loaders: Loaders,
): Promise<Verdict> {
  const loader = loaders.documentLoader;
  if (relayed instanceof Page || relayed instanceof Note || relayed instanceof Article)
    return applyContent(deps, group, relayed);
  if (!(relayed instanceof Activity) || relayed.actorId === null)
    return ignored("it relays something other than a post, comment or activity");
  const actorId = relayed.actorId;
  if (relayed instanceof Like || relayed instanceof Dislike)
    return applyVote(deps, relayed, relayed instanceof Like ? 1 : -1);
  if (relayed instanceof Delete)
    return relayed.objectId === null
      ? ignored("the relayed Delete deletes nothing")
      : applyDelete(deps, relayed.objectId, actorId);
  if (relayed instanceof Update) return applyRelayedEdit(deps, relayed, loaders);
  if (!(relayed instanceof Create || relayed instanceof Undo))
    return ignored("it relays an activity that is not handled");
  // Embedded objects on another origin are fetched again from theirs (Fedify's default).
  const object = await unlessGone(relayed.getObject({ documentLoader: loader }));
  if (relayed instanceof Undo) {
    if (!(object instanceof Like || object instanceof Dislike))
      return ignored("it relays an Undo of something other than a vote");
    if (object.actorId?.href !== actorId.href)
      return ignored("it relays an Undo of someone else's vote");
    return applyVote(deps, object, 0);
  }
  if (!(object instanceof Page || object instanceof Note || object instanceof Article))
    return ignored("it relays a change of something other than a post or comment");
  if (object.attributionId?.href !== actorId.href)
    return ignored("the relayed object is attributed to someone other than its actor");
  return applyContent(deps, group, object);
}

/**
 * A relayed Update (fetched by id, or embedded as the group received it): says only that its
 * actor edited its object. Nothing it carries is applied: the object is fetched again from its
 * own origin and applied if attributed to the actor (and held here from it), with the author
 * rules of any edit. A forged Update can at most make us read what the origin says.
 */
export async function applyRelayedEdit(
  deps: InboxDeps,
  update: Update,
  loaders: Loaders,
): Promise<Verdict> {
  const { actorId, objectId } = update;
  if (actorId === null || objectId === null) return ignored("the relayed Update names no object");
  if (objectId.origin !== actorId.origin)
    return ignored("the relayed Update's object is not on its actor's origin");
  const object = await fetchRemoteObject(objectId, loaders);
  if (!(object instanceof Page || object instanceof Note))
    return ignored("the relayed Update's object is not a post or comment at its origin");
  if (object.id?.href !== objectId.href) return ignored("its origin serves another object there");
  if (object.attributionId?.href !== actorId.href)
    return ignored("the relayed object is attributed to someone other than its actor");
  return refreshFrom(deps, object, actorId);
}

/** A relayed post or comment, fetched from its author's origin: stored, or refreshed if known. */
async function applyContent(
  deps: InboxDeps,
  group: SubmoltRow,
  object: Page | Note | Article,
): Promise<Verdict> {
  const author = object.attributionId;
  if (author === null || object.id === null) return ignored("a post or comment without ids");
  const post = asPost(object);
  if (post === undefined) {
    if (!(object instanceof Note)) return ignored("it relays a reply that is not a Note");
    const stored = await storeNote(deps, object, author, null);
    return "applied" in stored ? stored : refreshFrom(deps, object, author);
  }
  // Known already: a relay of an edit.
  if ((await findPostByApId(deps.services.db, object.id.href)) !== undefined)
    return refreshFrom(deps, object, author);
  return storePost(deps, post, author, { group, activityId: null });
}
