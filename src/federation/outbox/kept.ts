import type { Context } from "@fedify/fedify";
import {
  Accept,
  type Activity,
  Announce,
  Create,
  Delete,
  Dislike,
  Follow,
  Like,
  PUBLIC_COLLECTION,
  Undo,
  Update,
} from "@fedify/vocab";
import type { Clock } from "../../lib/clock.ts";
import type { DbHandle } from "../../repos/database.ts";
import {
  deletePublishedActivitiesAbout,
  insertPublishedActivity,
  prunePublishedActivities,
} from "../../repos/published-activities.ts";
import { embeddedObject } from "../embedded.ts";
import { wrapSendActivity } from "../send-activity-wrapper.ts";

// Every activity this instance sends has an id that should answer a GET (a receiver checks a
// relayed Announce(Update) by fetching it; Lemmy fetches what a group announces by URL). Creates
// and votes are served by their own dispatchers (objects.ts), built from the live rows, so a
// deleted post or a retracted vote answers 404 as receivers expect; everything else is kept here
// as sent, once, when first sent, and served by http/middleware/published-activities.ts.

/** How long a published activity stays dereferenceable. */
export const PUBLISHED_ACTIVITY_RETENTION_DAYS = 90;

/**
 * `ctx` whose sendActivity first keeps what it sends (see `isKept`), so that receivers fetching
 * the activity's id while it is delivered find it. Sent to an empty list of recipients (see
 * withFollowersResolved), it keeps what may still be fetched and hands Fedify nothing.
 */
export function withPublishedActivitiesKept(
  ctx: Context<void>,
  db: DbHandle,
  clock: Clock,
): Context<void> {
  return wrapSendActivity(ctx, (send) => async (sender, recipients, activity, options) => {
    const nobody = Array.isArray(recipients) && recipients.length === 0;
    // An Announce that reaches nobody (a group without followers) is not kept: nothing refers
    // to it. An Update or a Delete is, reaching anyone or not: a group may announce the Update
    // by URL, and a Delete forgets the Updates that carried the content.
    if (!(nobody && activity instanceof Announce)) await keep(ctx, db, clock, activity);
    if (!nobody) await send(sender, recipients, activity, options);
  });
}

async function keep(ctx: Context<void>, db: DbHandle, clock: Clock, activity: Activity) {
  const id = activity.id;
  if (id === null || !isKept(activity, id, ctx.canonicalOrigin)) return;
  const now = clock.now();
  const carried = await carriedContentOf(activity, ctx);
  // Fedify's own (fast) compaction: the same document as sent, less the signatures.
  const json = await activity.toJsonLd({ contextLoader: ctx.contextLoader });
  await insertPublishedActivity(db, {
    apId: id.href,
    objectApId: carried,
    json: JSON.stringify(json),
    createdAt: now.toISOString(),
  });
  // Deleted content stops being served: the Updates that carried it go, the Delete stays.
  if (activity instanceof Delete && activity.objectId !== null)
    await deletePublishedActivitiesAbout(db, activity.objectId.href, id.href);
  // Now and then, forget what is past the retention period.
  if (Math.random() < 1 / 64) {
    const before = now.getTime() - PUBLISHED_ACTIVITY_RETENTION_DAYS * 24 * 60 * 60_000;
    await prunePublishedActivities(db, new Date(before).toISOString());
  }
}

/**
 * Whether `activity` is kept and served: ours (a path under our origin; a fragment id cannot be
 * served apart from its document), without a dispatcher of its own, and public (addressed to
 * Public) or content-free (Follow, Accept, Undo of a follow or vote).
 * NOTE: direct activities (DMs, followers-only posts) must never be kept: anyone may GET them.
 */
export function isKept(activity: Activity, id: URL, origin: string): boolean {
  if (id.origin !== origin || id.hash !== "") return false;
  if (activity instanceof Create || activity instanceof Like || activity instanceof Dislike)
    return false;
  if (activity instanceof Follow || activity instanceof Accept || activity instanceof Undo)
    return true;
  return [...activity.toIds, ...activity.ccIds].some((to) => to.href === PUBLIC_COLLECTION.href);
}

/**
 * The post or comment whose content an activity carries: an Update's object, or that of the
 * Update an Announce embeds. Null for the rest (references and Deletes carry no content).
 */
async function carriedContentOf(activity: Activity, ctx: Context<void>): Promise<string | null> {
  const update =
    activity instanceof Announce ? await embeddedObject(activity, ctx.contextLoader) : activity;
  return update instanceof Update ? (update.objectId?.href ?? null) : null;
}
