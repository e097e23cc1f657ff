import type { InboxContext } from "@fedify/fedify";
import { Article, type Delete, isActor, Note, Page, type Update } from "@fedify/vocab";
import {
  deleteRemoteContent,
  type EditActivity,
  refreshRemoteContent,
} from "../../services/remote-content.ts";
import { checkReceivedProof } from "../agent-proofs.ts";
import { fromNote, fromNoteHtml, fromPost } from "../mappers/from-vocab.ts";
import { unlessGone } from "../reach.ts";
import { asPost } from "./create.ts";
import { APPLIED, type InboxDeps, ignored, type Verdict } from "./deps.ts";
import { refreshActor } from "./profiles.ts";

/**
 * Update of a post or comment by its author (same origin as the object, attributed to it), or of
 * an actor's own profile. A local submolt holding the content relays the Update in turn.
 */
export function handleUpdate(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, update: Update): Promise<Verdict> => {
    const { id, actorId, objectId } = update;
    if (id === null || actorId === null || objectId === null) return ignored("missing ids");
    if (id.origin !== actorId.origin || objectId.origin !== actorId.origin)
      return ignored("activity or object not on the actor's origin");
    // As received, before getObject may replace it with what it fetched.
    const received = (await update.toJsonLd()) as Record<string, unknown>;
    const object = await unlessGone(update.getObject());
    if (isActor(object)) return refreshActor(deps, object, actorId);
    if (!(object instanceof Page || object instanceof Note || object instanceof Article))
      return ignored("not an update of a post or comment");
    if (object.attributionId?.href !== actorId.href)
      return ignored("the object is attributed to someone else");
    return refreshFrom(deps, object, actorId, {
      apId: id.href,
      json: dereferences(id) ? null : received,
    });
  };
}

/**
 * Whether an activity id can be fetched on its own. Mastodon's (`…/statuses/1#updates/2`) are
 * fragments of the object's document, which it does not serve; path ids are taken to dereference
 * (Lemmy, Mbin, Fedify servers and this one serve their activities).
 */
function dereferences(id: URL): boolean {
  return id.hash === "";
}

/**
 * Re-reads a post or comment into what we hold (after an Update, or a relay we fetched), if
 * `author` is who we hold it from: another actor of the same server cannot rewrite it. `via`:
 * the author's Update that announced it, which a local submolt relays.
 */
export async function refreshFrom(
  deps: InboxDeps,
  object: Page | Note | Article,
  author: URL,
  via: EditActivity | null = null,
): Promise<Verdict> {
  const apId = object.id?.href;
  if (apId === undefined) return ignored("an object without id");
  let refreshed = false;
  const post = asPost(object);
  if (post !== undefined) {
    const fields = await fromPost(post);
    refreshed = await refreshRemoteContent(
      deps.services,
      {
        kind: "post",
        apId,
        authorApId: author.href,
        title: fields.title,
        content: fields.content,
        contentHtml: fields.contentHtml,
        url: fields.url,
        signature: await checkReceivedProof(deps.directory, post),
      },
      via,
    );
  } else if (object instanceof Note) {
    const content = fromNote(object);
    refreshed =
      content !== "" &&
      (await refreshRemoteContent(
        deps.services,
        {
          kind: "comment",
          apId,
          authorApId: author.href,
          content,
          contentHtml: fromNoteHtml(object),
          signature: await checkReceivedProof(deps.directory, object),
        },
        via,
      ));
  }
  return refreshed
    ? APPLIED
    : ignored("unknown, local, deleted or unchanged content, or another author's");
}

/** Delete of a post or comment: honoured from its author or from the group that holds it. */
export function handleDelete(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, del: Delete): Promise<Verdict> => {
    const { id, actorId, objectId } = del;
    if (id === null || actorId === null || objectId === null) return ignored("missing ids");
    if (id.origin !== actorId.origin) return ignored("the activity is not on its actor's origin");
    return applyDelete(deps, objectId, actorId);
  };
}

/** Deletes what `objectId` names, if `actorId` is its author or the remote group holding it. */
export async function applyDelete(deps: InboxDeps, objectId: URL, actorId: URL): Promise<Verdict> {
  const deleted = await deleteRemoteContent(deps.services, {
    apId: objectId.href,
    actorApId: actorId.href,
  });
  return deleted ? APPLIED : ignored("unknown content, or not its author's or group's");
}
