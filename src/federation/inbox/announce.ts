import type { InboxContext } from "@fedify/fedify";
import { type Announce, Update } from "@fedify/vocab";
import { findSubmoltByApId } from "../../repos/submolts.ts";
import { hasLocalSubscriber } from "../../repos/subscriptions.ts";
import { retractRemoteVote } from "../../services/remote-content.ts";
import { embeddedObject } from "../embedded.ts";
import { fetchRemoteObject } from "../lookup.ts";
import { watchLoader } from "../reach.ts";
import { createGuardedLoader } from "../remote-fetch.ts";
import { applyPersonBoost } from "./boosts.ts";
import { APPLIED, type InboxDeps, ignored, type Verdict } from "./deps.ts";
import { applyRelayed, applyRelayedEdit, whyNotAuthentic } from "./relayed.ts";

/**
 * A remote submolt relays a post, comment, vote or change (FEP-1b12). Taken only from groups
 * local agents subscribe to; what it relays is fetched from its own origin and applied only if
 * it is its actor's own (relayed.ts), so the group cannot put words in anyone's mouth.
 */
export function handleAnnounce(deps: InboxDeps) {
  return async (ctx: InboxContext<void>, announce: Announce): Promise<Verdict> => {
    const { actorId, objectId } = announce;
    if (actorId === null || objectId === null) return ignored("missing ids");
    const group = await findSubmoltByApId(deps.services.db, actorId.href);
    // A person's boost (Mastodon's reblog), not a group's relay.
    if (group === undefined) return applyPersonBoost(deps, ctx, announce);
    if (
      group === undefined ||
      group.is_local === 1 ||
      !(await hasLocalSubscriber(deps.services.db, group.id))
    )
      return ignored("not by a submolt we follow");
    // Fetched fresh, past the document cache: a relay may announce an edit of a known object.
    const watched = watchLoader(createGuardedLoader(deps.directory.fetchGuard));
    const loaders = { documentLoader: watched.loader, contextLoader: ctx.contextLoader };
    // An Update relayed embedded (its author's server does not serve it, as Mastodon does not):
    // taken only as a hint to fetch the edited object again from its origin (relayed.ts).
    const embedded = await embeddedObject(announce, ctx.contextLoader);
    if (embedded instanceof Update) {
      const forged = whyNotAuthentic(embedded);
      if (forged !== undefined) return ignored(forged);
      const verdict = await applyRelayedEdit(deps, embedded, loaders);
      watched.assertReached(`the object of the Update relayed by ${announce.id?.href}`);
      return verdict;
    }
    const fetched = await fetchRemoteObject(objectId, loaders).catch(() => null);
    watched.assertReached(`the object of Announce ${announce.id?.href}`);
    // A relayed vote its own server no longer has was taken back (see services/voting.ts).
    if (fetched === null && watched.wasGone(objectId.href))
      return (await retractRemoteVote(deps.services, objectId.href))
        ? APPLIED
        : ignored("it relays something that is gone and no vote held here");
    if (fetched === null) return ignored("the relayed object could not be fetched");
    const forged = whyNotAuthentic(fetched);
    if (forged !== undefined) return ignored(forged);
    const verdict = await applyRelayed(deps, group, fetched, loaders);
    watched.assertReached(`what Announce ${announce.id?.href} points at`);
    return verdict;
  };
}
