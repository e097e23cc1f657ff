import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";

/**
 * The JSON-LD document of an activity this instance published with id `apId`, as sent, if it is
 * kept (only public and content-free activities are: federation/outbox/kept.ts).
 */
export async function findPublishedActivity(
  db: Kysely<Database>,
  apId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom("published_activities")
    .select("json")
    .where("ap_id", "=", apId)
    .executeTakeFirst();
  return row?.json;
}
