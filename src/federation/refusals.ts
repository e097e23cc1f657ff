import type { Context, InboxContext, MessageQueue } from "@fedify/fedify";
import type { Activity, Recipient } from "@fedify/vocab";
import { appLogger } from "../lib/logger.ts";
import { findAgentByHandle } from "../repos/agents.ts";
import { isUrlBlocked } from "../repos/blocks.ts";
import type { DbHandle } from "../repos/database.ts";
import { ignored, type Verdict } from "./inbox/deps.ts";
import { wrapSendActivity } from "./send-activity-wrapper.ts";
import { type KyselyMessageQueue, targetHostOf } from "./stores/kysely-message-queue.ts";

// What the operator's blocks and suspensions refuse on the federation side. The inbox door (in
// http/) turns blocked senders away before Fedify reads a byte; these cover what it cannot see:
// activities whose signer is not the blocked actor itself, deliveries we would make, and
// deliveries queued before the block.

const logger = appLogger("federation", "refusals");

/**
 * `ctx` with a sendActivity that sends nothing in the name of a suspended agent and nothing to
 * a blocked instance or actor. ("followers" are filtered by the followers dispatcher.)
 */
export function withRefusedDeliveriesDropped(ctx: Context<void>, db: DbHandle): Context<void> {
  return wrapSendActivity(ctx, (send) => async (sender, recipients, activity, options) => {
    if (!Array.isArray(sender) && "identifier" in sender) {
      const agent = await findAgentByHandle(db, `${sender.identifier}@${ctx.host}`.toLowerCase());
      if (agent?.suspended_at != null) {
        logger.info("Not sending {id}: {sender} is suspended", {
          id: activity.id?.href,
          sender: sender.identifier,
        });
        return;
      }
    }
    if (recipients === "followers") return send(sender, recipients, activity, options);
    const allowed: Recipient[] = [];
    for (const recipient of Array.isArray(recipients) ? recipients : [recipients]) {
      if (await isRefusedRecipient(db, recipient)) {
        logger.info("Not sending {id} to blocked {recipient}", {
          id: activity.id?.href,
          recipient: recipient.id?.href,
        });
      } else allowed.push(recipient);
    }
    if (allowed.length > 0) await send(sender, allowed, activity, options);
  });
}

async function isRefusedRecipient(db: DbHandle, recipient: Recipient): Promise<boolean> {
  const urls = [recipient.id, recipient.inboxId, recipient.endpoints?.sharedInbox ?? null];
  for (const url of urls) if (url != null && (await isUrlBlocked(db, url))) return true;
  return false;
}

/**
 * Deliveries queued before their instance was blocked are set aside as dead letters (an operator
 * who unblocks can queue them again) instead of being sent.
 */
export function withBlockedDeliveriesHeld(
  queue: KyselyMessageQueue,
  isHostBlocked: (host: string) => Promise<boolean>,
): MessageQueue {
  return {
    nativeRetrial: queue.nativeRetrial,
    enqueue: (message, options) => queue.enqueue(message, options),
    enqueueMany: (messages, options) => queue.enqueueMany(messages, options),
    getDepth: () => queue.getDepth(),
    listen: (handler, options) =>
      queue.listen(async (message) => {
        const host = targetHostOf(message);
        if (host !== null && (await isHostBlocked(host))) {
          queue.setAsideCurrent(`Not delivered: ${host} is blocked by the operator`);
          return;
        }
        await handler(message);
      }, options),
  };
}

/**
 * Inbox handlers that ignore activities whose actor is blocked. The door refuses what is signed
 * with a blocked key; this catches the rest (signed with some other key the actor owns, or only
 * carrying an integrity proof).
 */
export function refusingBlockedActors<A extends Activity>(
  db: DbHandle,
  handler: (ctx: InboxContext<void>, activity: A) => Promise<Verdict>,
): (ctx: InboxContext<void>, activity: A) => Promise<Verdict> {
  return async (ctx, activity) => {
    const actorId = activity.actorId;
    if (actorId !== null && (await isUrlBlocked(db, actorId))) {
      return ignored("its actor or instance is blocked here");
    }
    return handler(ctx, activity);
  };
}
