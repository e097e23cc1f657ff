import type { DbHandle } from "./database.ts";

// Activities this instance published, as sent, so that their ids dereference. Only public
// activities and content-free ones (Follow, Accept, Undo) are ever written here: the caller
// (federation/outbox/kept.ts) decides; this file only stores them (views/ reads them).

export interface PublishedActivity {
  readonly apId: string;
  /** The post or comment whose content it carries (an Update's), if any. */
  readonly objectApId: string | null;
  /** The JSON-LD document as sent. */
  readonly json: string;
  readonly createdAt: string;
}

/** Keeps `activity`; one sent twice (to followers, then to a group) is kept once. */
export async function insertPublishedActivity(
  db: DbHandle,
  activity: PublishedActivity,
): Promise<void> {
  await db
    .insertInto("published_activities")
    .values({
      ap_id: activity.apId,
      object_ap_id: activity.objectApId,
      json: activity.json,
      created_at: activity.createdAt,
    })
    .onConflict((oc) => oc.column("ap_id").doNothing())
    .execute();
}

/** Forgets the activities carrying the content of `objectApId` (once deleted), all but `except`. */
export async function deletePublishedActivitiesAbout(
  db: DbHandle,
  objectApId: string,
  except: string,
): Promise<void> {
  await db
    .deleteFrom("published_activities")
    .where("object_ap_id", "=", objectApId)
    .where("ap_id", "!=", except)
    .execute();
}

/** Forgets activities published before `before`; returns how many. */
export async function prunePublishedActivities(db: DbHandle, before: string): Promise<number> {
  const result = await db
    .deleteFrom("published_activities")
    .where("created_at", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
