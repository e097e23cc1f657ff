import type { InboxContext } from "@fedify/fedify";
import { type Announce, Create, Dislike, isActor, Like, Note, Page } from "@fedify/vocab";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import type { SubmoltRow } from "../../db/schema.ts";
import { appLogger } from "../../lib/logger.ts";
import { findAgentByApId } from "../../repos/agents.ts";
import { findPostByApId } from "../../repos/posts.ts";
import { findSubmoltByApId } from "../../repos/submolts.ts";
import { hasLocalSubscriber } from "../../repos/subscriptions.ts";
import { receiveRemotePost } from "../../services/remote-content.ts";
import { storeActor } from "../directory.ts";
import { fromPage } from "../mappers/from-vocab.ts";
import { refreshFrom } from "./changes.ts";
import { storeNote } from "./create.ts";
import type { InboxDeps } from "./deps.ts";
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
    const documentLoader = getDocumentLoader({
      allowPrivateAddress: deps.directory.allowPrivateAddress,
    });
    const object = await ctx
      .lookupObject(objectId.href, { documentLoader, contextLoader: ctx.contextLoader })
      .catch(() => null);
    const page = object instanceof Create ? await object.getObject().catch(() => null) : object;
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

async function storeRelayedPage(deps: InboxDeps, group: SubmoltRow, page: Page): Promise<void> {
  const pageId = page.id;
  const authorId = page.attributionId;
  if (pageId === null || authorId === null || authorId.origin !== pageId.origin) return;
  if (page.audienceId !== null && page.audienceId.href !== group.ap_id) return;
  let author = await findAgentByApId(deps.services.db, authorId.href);
  if (author === undefined) {
    const actor = await page.getAttribution().catch(() => null);
    author = isActor(actor) ? await storeActor(deps.directory, actor) : undefined;
  }
  if (author === undefined) return;
  const fields = await fromPage(page);
  await receiveRemotePost(deps.services, {
    ...fields,
    apId: pageId.href,
    author,
    submolt: group,
    publishedAt: fields.publishedAt ?? deps.services.clock.now(),
  });
}
