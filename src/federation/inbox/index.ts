import type { Federation, InboxContext } from "@fedify/fedify";
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
import { errorDetails } from "../../lib/error-details.ts";
import { appLogger } from "../../lib/logger.ts";
import { ACTOR_PATH_PREFIX } from "../../services/urls.ts";
import { refusingBlockedActors } from "../refusals.ts";
import { handleAnnounce } from "./announce.ts";
import { handleDelete, handleUpdate } from "./changes.ts";
import { handleCreate } from "./create.ts";
import { type InboxDeps, ignored, type Verdict } from "./deps.ts";
import { handleAccept, handleFollow, handleUndo } from "./follows.ts";
import { handleVote } from "./votes.ts";

const logger = appLogger("federation", "inbox");

/**
 * Inbound activities, personal and shared inboxes alike. Handlers verify first (origins, who may
 * do what), then apply one service call; bad remote input is ignored with a log line saying why,
 * never thrown.
 */
export function registerInbox(federation: Federation<void>, deps: InboxDeps): void {
  const refusing = <A extends Activity>(
    handler: (ctx: InboxContext<void>, activity: A) => Promise<Verdict>,
  ) => refusingBlockedActors(deps.services.db, handler);
  federation
    .setInboxListeners(`${ACTOR_PATH_PREFIX}{identifier}/inbox`, "/inbox")
    .on(Follow, logged("Follow", refusing(handleFollow(deps))))
    .on(Accept, logged("Accept", refusing(handleAccept(deps))))
    .on(Undo, logged("Undo", refusing(handleUndo(deps))))
    .on(Create, logged("Create", refusing(handleCreate(deps))))
    .on(Announce, logged("Announce", refusing(handleAnnounce(deps))))
    .on(Like, logged("Like", refusing(handleVote(deps))))
    .on(Dislike, logged("Dislike", refusing(handleVote(deps))))
    .on(Update, logged("Update", refusing(handleUpdate(deps))))
    .on(Delete, logged("Delete", refusing(handleDelete(deps))))
    // Everything else (Lemmy's Lock, Remove, Block, Flag, Add, …) is not applied yet:
    // acknowledged and logged, never an error.
    .on(Activity, async (_ctx, activity) => {
      const json = (await activity.toJsonLd().catch(() => ({}))) as { type?: unknown };
      const type = String(json.type ?? "unknown");
      report(type, activity, ignored("this kind of activity is not handled"));
    })
    .onError((_ctx, error) => {
      logger.error("Inbox handler failed: {error}", { error: errorDetails(error) });
    });
}

/** Runs a handler and logs its verdict at info: applied, or ignored with the reason. */
function logged<T extends Activity>(
  type: string,
  handler: (ctx: InboxContext<void>, activity: T) => Promise<Verdict>,
) {
  return async (ctx: InboxContext<void>, activity: T): Promise<void> => {
    report(type, activity, await handler(ctx, activity));
  };
}

function report(type: string, activity: Activity, verdict: Verdict): void {
  const properties = { type, id: activity.id?.href ?? null, actor: activity.actorId?.href ?? null };
  if ("ignored" in verdict) {
    logger.info("Ignored {type} {id} from {actor}: {reason}", {
      ...properties,
      reason: verdict.ignored,
    });
  } else {
    logger.info("Applied {type} {id} from {actor}", properties);
  }
}
