import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// Activities this instance published (Announce, Update, Delete, Accept, Follow, Undo), kept as
// sent so that their ids dereference; pruned after a retention period.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("published_activities")
    .addColumn("ap_id", "text", (c) => c.primaryKey())
    // The post or comment whose content the activity carries, so it goes when that is deleted.
    .addColumn("object_ap_id", "text")
    .addColumn("json", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("published_activities_created_at_idx")
    .on("published_activities")
    .column("created_at")
    .execute();
  await db.schema
    .createIndex("published_activities_object_ap_id_idx")
    .on("published_activities")
    .column("object_ap_id")
    .execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropTable("published_activities").execute();
}
