import type { Context } from "@fedify/fedify";
import type { Recipient } from "@fedify/vocab";
import type { DbHandle } from "../../repos/database.ts";
import { localFollowers } from "../collections.ts";
import { wrapSendActivity } from "../send-activity-wrapper.ts";

/**
 * `ctx` whose sendActivity to "followers" reads the sender's followers first and sends to them
 * as a list, which is empty when there are none (withPublishedActivitiesKept then hands Fedify
 * nothing). Fedify would load the sender's keys, sign the activity and compact it before
 * finding no inbox: for the many agents and submolts without remote followers, that was most of
 * what publishing a write cost.
 */
export function withFollowersResolved(ctx: Context<void>, db: DbHandle): Context<void> {
  // An event may send several activities to the same followers (a group announces a new post
  // twice): they are read once per event.
  const read = new Map<string, Promise<Recipient[] | undefined>>();
  return wrapSendActivity(ctx, (send) => async (sender, recipients, activity, options) => {
    if (recipients !== "followers" || Array.isArray(sender) || !("identifier" in sender)) {
      return send(sender, recipients, activity, options);
    }
    const { identifier } = sender;
    if (!read.has(identifier)) read.set(identifier, localFollowers(db, identifier, ctx.host));
    const followers = await read.get(identifier);
    await send(sender, followers ?? [], activity, options);
  });
}
