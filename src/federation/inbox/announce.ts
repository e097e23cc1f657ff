import type { InboxContext } from "@fedify/fedify";
import { type Announce, Create, Dislike, Like, Note, Page, Undo } from "@fedify/vocab";
import { findPostByApId } from "../../repos/posts.ts";
import { findSubmoltByApId } from "../../repos/submolts.ts";
import { hasLocalSubscriber } from "../../repos/subscriptions.ts";
import { retractRemoteVote } from "../../services/remote-content.ts";
import { fetchRemoteObject } from "../lookup.ts";
import { unlessGone, watchLoader } from "../reach.ts";
import { createGuardedLoader } from "../remote-fetch.ts";
import { refreshFrom } from "./changes.ts";
import { storeNote, storePage } from "./create.ts";
import { APPLIED, type InboxDeps, ignored, type Verdict } from "./deps.ts";
import { applyVote } from "./votes.ts";

/**
 * A remote submolt relays a post, comment or vote (FEP-1b12). Taken only from groups local agents
 * subscribe to; what it relays is fetched from its own origin (a Create is unwrapped), so the
 * group cannot put words in anyone's mouth.
 */
export function handleAnnounce(deps: InboxDeps) {
  return async (ctx: InboxContext<void>, announce: Announce): Promise<Verdict> => {
    const { actorId, objectId } = announce;
    if (actorId === null || objectId === null) return ignored("missing ids");
    const group = await findSubmoltByApId(deps.services.db, actorId.href);
    if (
      group === undefined ||
      group.is_local === 1 ||
      !(await hasLocalSubscriber(deps.services.db, group.id))
    )
      return ignored("not by a submolt we follow");
    // Fetched fresh, past the document cache: a relay may announce an edit of a known object.
    const watched = watchLoader(createGuardedLoader(deps.directory.fetchGuard));
    const fetched = await fetchRemoteObject(objectId, {
      documentLoader: watched.loader,
      contextLoader: ctx.contextLoader,
    }).catch(() => null);
    watched.assertReached(`the object of Announce ${announce.id?.href}`);
    const gone = fetched === null && watched.wasGone(objectId.href);
    // A relayed vote its own server no longer has was taken back (see services/voting.ts).
    if (gone)
      return (await retractRemoteVote(deps.services, objectId.href))
        ? APPLIED
        : ignored("it relays something that is gone and no vote held here");
    // A Create is unwrapped; so is an Undo of a vote (Lemmy relays those), if it is its voter's.
    if (fetched instanceof Undo) {
      const undone = await unlessGone(fetched.getObject({ documentLoader: watched.loader }));
      if (!(undone instanceof Like || undone instanceof Dislike) || undone.id === null)
        return ignored("it relays an Undo of something other than a vote");
      if (undone.actorId?.href !== fetched.actorId?.href)
        return ignored("it relays an Undo of someone else's vote");
      return applyVote(deps, undone, 0);
    }
    const object =
      fetched instanceof Create
        ? await unlessGone(fetched.getObject({ documentLoader: watched.loader }))
        : fetched;
    if ((object instanceof Like || object instanceof Dislike) && object.id !== null)
      return applyVote(deps, object, object instanceof Like ? 1 : -1);
    if (!(object instanceof Page || object instanceof Note) || object.id === null)
      return ignored("it relays something other than a post, comment or vote");
    // Fetched from its own origin, so its author is who the object says.
    const author = object.attributionId;
    if (author === null || author.origin !== object.id.origin)
      return ignored("the relayed object is not on its author's origin");
    if (object instanceof Note) {
      const stored = await storeNote(deps, object, author, null);
      return "applied" in stored ? stored : refreshFrom(deps, object);
    }
    // Known already: a relay of an edit.
    if ((await findPostByApId(deps.services.db, object.id.href)) !== undefined)
      return refreshFrom(deps, object);
    return storePage(deps, object, author, { group, activityId: null });
  };
}
