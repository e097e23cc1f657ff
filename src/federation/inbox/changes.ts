import type { InboxContext } from "@fedify/fedify";
import { type Delete, Note, Page, type Update } from "@fedify/vocab";
import { appLogger } from "../../lib/logger.ts";
import { deleteRemoteContent, refreshRemoteContent } from "../../services/remote-content.ts";
import { fromNote, fromPage } from "../mappers/from-vocab.ts";
import type { InboxDeps } from "./deps.ts";

const logger = appLogger("federation", "inbox");

/** Update of a post or comment by its author (same origin as the object, attributed to it). */
export function handleUpdate(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, update: Update): Promise<void> => {
    const { id, actorId, objectId } = update;
    if (id === null || actorId === null || objectId === null) return;
    if (id.origin !== actorId.origin || objectId.origin !== actorId.origin) {
      logger.info("Dropped Update {id}: activity or object not on the actor's origin", {
        id: id.href,
      });
      return;
    }
    const object = await update.getObject();
    if (
      !(object instanceof Page || object instanceof Note) ||
      object.attributionId?.href !== actorId.href
    ) {
      logger.info("Ignored Update {id}: not a post or comment by its actor", { id: id.href });
      return;
    }
    await refreshFrom(deps, object);
  };
}

/** Re-reads a post or comment into what we hold (after an Update, or a relay we fetched). */
export async function refreshFrom(deps: InboxDeps, object: Page | Note): Promise<boolean> {
  const apId = object.id?.href;
  if (apId === undefined) return false;
  if (object instanceof Page) {
    const fields = await fromPage(object);
    return refreshRemoteContent(deps.services, {
      kind: "post",
      apId,
      title: fields.title,
      content: fields.content,
      url: fields.url,
    });
  }
  const content = fromNote(object);
  return content !== "" && refreshRemoteContent(deps.services, { kind: "comment", apId, content });
}

/** Delete of a post or comment: honoured from its author or from the group that holds it. */
export function handleDelete(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, del: Delete): Promise<void> => {
    const { id, actorId, objectId } = del;
    if (id === null || actorId === null || objectId === null || id.origin !== actorId.origin)
      return;
    const deleted = await deleteRemoteContent(deps.services, {
      apId: objectId.href,
      actorApId: actorId.href,
    });
    if (!deleted)
      logger.info("Ignored Delete {id} of {object}: unknown, or not its author's or group's", {
        id: id.href,
        object: objectId.href,
      });
  };
}
