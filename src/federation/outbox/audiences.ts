import type { Context } from "@fedify/fedify";
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
  return wrapSendActivity(ctx, (send) => async (sender, recipients, activity, options) => {
    if (recipients !== "followers" || Array.isArray(sender) || !("identifier" in sender)) {
      return send(sender, recipients, activity, options);
    }
    const followers = await localFollowers(db, sender.identifier, ctx.host);
    await send(sender, followers ?? [], activity, options);
  });
}
