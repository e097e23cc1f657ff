import type { Federation } from "@fedify/fedify";
import {
  Accept,
  Activity,
  Announce,
  Create,
  Delete,
  Dislike,
  Follow,
  Like,
  Undo,
  Update,
} from "@fedify/vocab";
import { appLogger } from "../../lib/logger.ts";
import { ACTOR_PATH_PREFIX } from "../../services/urls.ts";
import { handleAnnounce } from "./announce.ts";
import { handleDelete, handleUpdate } from "./changes.ts";
import { handleCreate } from "./create.ts";
import type { InboxDeps } from "./deps.ts";
import { handleAccept, handleFollow, handleUndo } from "./follows.ts";
import { handleVote } from "./votes.ts";

const logger = appLogger("federation", "inbox");

/**
 * Inbound activities, personal and shared inboxes alike. Handlers verify first (origins, who may
 * do what), then apply one service call; bad remote input is logged and dropped, never thrown.
 */
export function registerInbox(federation: Federation<void>, deps: InboxDeps): void {
  federation
    .setInboxListeners(`${ACTOR_PATH_PREFIX}{identifier}/inbox`, "/inbox")
    .on(Follow, handleFollow(deps))
    .on(Accept, handleAccept(deps))
    .on(Undo, handleUndo(deps))
    .on(Create, handleCreate(deps))
    .on(Announce, handleAnnounce(deps))
    .on(Like, handleVote(deps))
    .on(Dislike, handleVote(deps))
    .on(Update, handleUpdate(deps))
    .on(Delete, handleDelete(deps))
    // Everything else (Lemmy's Lock, Remove, Block, Flag, Add, Update, Delete, …) is not applied
    // yet: acknowledged and logged, never an error.
    .on(Activity, async (_ctx, activity) => {
      const json = (await activity.toJsonLd().catch(() => ({}))) as { type?: unknown };
      logger.info("Ignored {type} activity {id}", {
        type: String(json.type ?? "unknown"),
        id: activity.id?.href,
      });
    })
    .onError((_ctx, error) => {
      logger.error("Inbox handler failed: {error}", { error });
    });
}
