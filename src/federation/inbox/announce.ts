import type { InboxContext } from "@fedify/fedify";
import { type Announce, Create, Dislike, Like, Note, Page } from "@fedify/vocab";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import { appLogger } from "../../lib/logger.ts";
import { findPostByApId } from "../../repos/posts.ts";
import { findSubmoltByApId } from "../../repos/submolts.ts";
import { hasLocalSubscriber } from "../../repos/subscriptions.ts";
import { refreshFrom } from "./changes.ts";
import { storeNote, storeRelayedPage } from "./content.ts";
import type { InboxDeps } from "./deps.ts";
import { unlessGone, watchLoader } from "./reach.ts";
import { applyVote } from "./votes.ts";

const logger = appLogger("federation", "inbox");

/**
 * A remote submolt relays a post (FEP-1b12). Taken only from groups local agents subscribe to;
 * the post itself is fetched from its own origin (or must share the origin of the Create that
 * carries it), so the group cannot put words in anyone's mouth.
 */
export function handleAnnounce(deps: InboxDeps) {
  return async (ctx: InboxContext<void>, announce: Announce): Promise<void> => {
    const { actorId, objectId } = announce;
    if (actorId === null || objectId === null) return;
    const group = await findSubmoltByApId(deps.services.db, actorId.href);
    if (
      group === undefined ||
      group.is_local === 1 ||
      !(await hasLocalSubscriber(deps.services.db, group.id))
    ) {
      logger.info("Dropped Announce by {actor}: not a submolt we follow", { actor: actorId.href });
      return;
    }
    // Fetched fresh, past the document cache: a relay may announce an edit of a known object.
    const watched = watchLoader(
      getDocumentLoader({ allowPrivateAddress: deps.directory.allowPrivateAddress }),
    );
    const object = await ctx
      .lookupObject(objectId.href, {
        documentLoader: watched.loader,
        contextLoader: ctx.contextLoader,
      })
      .catch(() => null);
    const page =
      object instanceof Create
        ? await unlessGone(object.getObject({ documentLoader: watched.loader }))
        : object;
    watched.assertReached(`the object of Announce ${announce.id?.href}`);
    // Fetched from its own origin, so its author is who the object says.
    if (page instanceof Note && page.id !== null && page.attributionId !== null) {
      if (page.attributionId.origin !== page.id.origin) return;
      if (!(await storeNote(deps, page, page.attributionId))) await refreshFrom(deps, page);
      return;
    }
    if ((page instanceof Like || page instanceof Dislike) && page.id !== null) {
      await applyVote(deps, page, page instanceof Like ? 1 : -1);
      return;
    }
    if (!(page instanceof Page) || page.id === null) {
      logger.info("Announce {id} of something other than a post is not handled", {
        id: announce.id?.href,
      });
      return;
    }
    // Known already: a relay of an edit.
    if ((await findPostByApId(deps.services.db, page.id.href)) !== undefined) {
      if (page.attributionId?.origin === page.id.origin) await refreshFrom(deps, page);
      return;
    }
    await storeRelayedPage(deps, group, page);
  };
}
