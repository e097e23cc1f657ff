import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// Fixed-window request counters shared by every process of an instance.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("rate_limit_counters")
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("window_start", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("rate_limit_counters_pkey", ["key", "window_start"])
    .execute();
  await db.schema
    .createIndex("rate_limit_counters_expires_at_idx")
    .on("rate_limit_counters")
    .column("expires_at")
    .execute();
  // The cooldowns count an agent's recent submolts.
  await db.schema
    .createIndex("submolts_owner_id_created_at_idx")
    .on("submolts")
    .columns(["owner_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex("submolts_owner_id_created_at_idx").execute();
  await db.schema.dropTable("rate_limit_counters").execute();
}
