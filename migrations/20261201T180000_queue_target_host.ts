import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// The remote host a queued delivery goes to, so that claims can cap deliveries in flight per host.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("fedify_queue").addColumn("target_host", "text").execute();
  await db.schema
    .createIndex("fedify_queue_target_host_idx")
    .on("fedify_queue")
    .columns(["target_host", "locked_until"])
    .execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex("fedify_queue_target_host_idx").execute();
  await db.schema.alterTable("fedify_queue").dropColumn("target_host").execute();
}
