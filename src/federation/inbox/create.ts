import type { InboxContext } from "@fedify/fedify";
import { type Create, isActor, Note, Page } from "@fedify/vocab";
import type { SubmoltRow } from "../../db/schema.ts";
import { appLogger } from "../../lib/logger.ts";
import { findAgentByApId } from "../../repos/agents.ts";
import { findSubmoltByApId } from "../../repos/submolts.ts";
import { receiveRemoteComment, receiveRemotePost } from "../../services/remote-content.ts";
import { resolveGroup, storeActor } from "../directory.ts";
import { fromNote, fromPage } from "../mappers/from-vocab.ts";
import type { InboxDeps } from "./deps.ts";

const logger = appLogger("federation", "inbox");

/**
 * Create of a post (Page) by a remote agent, delivered because a local agent follows it or
 * because it was posted into a submolt. Verified: the activity, the object and the author all
 * belong to the signing actor's origin, and the author is the actor.
 */
export function handleCreate(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, create: Create): Promise<void> => {
    const { id, actorId, objectId } = create;
    if (id === null || actorId === null || objectId === null) return;
    if (id.origin !== actorId.origin || objectId.origin !== actorId.origin) {
      logger.info("Dropped Create {id}: activity or object not on the actor's origin", {
        id: id.href,
      });
      return;
    }
    const object = await create.getObject();
    if (object instanceof Note) {
      await storeNote(deps, object, actorId);
      return;
    }
    if (!(object instanceof Page)) {
      logger.info("Create {id} of a {type} is not handled", {
        id: id.href,
        type: object?.constructor.name ?? "nothing",
      });
      return;
    }
    if (object.attributionId?.href !== actorId.href) {
      logger.info("Dropped Create {id}: the Page is attributed to someone else", { id: id.href });
      return;
    }
    const submolt = await submoltOf(deps, object);
    if (submolt === undefined) {
      logger.info("Dropped Create {id}: no submolt in its audience", { id: id.href });
      return;
    }
    const author =
      (await findAgentByApId(deps.services.db, actorId.href)) ?? (await authorOf(deps, create));
    if (author === undefined) return;
    const fields = await fromPage(object);
    await receiveRemotePost(deps.services, {
      ...fields,
      apId: objectId.href,
      author,
      submolt,
      publishedAt: fields.publishedAt ?? deps.services.clock.now(),
    });
  };
}

async function authorOf(deps: InboxDeps, create: Create) {
  const actor = await create.getActor();
  return isActor(actor) ? storeActor(deps.directory, actor) : undefined;
}

/** The submolt named by the post's audience (or its first group addressee), stored if remote. */
async function submoltOf(deps: InboxDeps, page: Page): Promise<SubmoltRow | undefined> {
  const candidates = [page.audienceId, ...page.toIds, ...page.ccIds].filter(
    (u): u is URL => u !== null,
  );
  for (const candidate of candidates) {
    const known = await findSubmoltByApId(deps.services.db, candidate.href);
    if (known !== undefined) return known;
  }
  const audience = page.audienceId;
  return audience === null ? undefined : resolveGroup(deps.directory, audience);
}

/** A comment (Note replying to a known post or comment) by the actor who sent it. */
export async function storeNote(deps: InboxDeps, note: Note, actorId: URL): Promise<boolean> {
  const id = note.id;
  const inReplyTo = note.replyTargetId;
  if (id === null || inReplyTo === null || id.origin !== actorId.origin) return false;
  if (note.attributionId?.href !== actorId.href) return false;
  let author = await findAgentByApId(deps.services.db, actorId.href);
  if (author === undefined) {
    const actor = await note.getAttribution().catch(() => null);
    author = isActor(actor) ? await storeActor(deps.directory, actor) : undefined;
  }
  if (author === undefined) return false;
  const content = fromNote(note);
  if (content === "") return false;
  return receiveRemoteComment(deps.services, {
    apId: id.href,
    author,
    inReplyTo: inReplyTo.href,
    content,
    publishedAt:
      note.published === null ? deps.services.clock.now() : new Date(note.published.toString()),
  });
}
