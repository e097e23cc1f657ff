import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./context.ts";

// A claim finds the hosts already at their cap of deliveries in flight. Only claimed messages
// have a lease (a failed one is released with none), so a partial index over leased live rows
// holds just the few in flight, and the claim reads them without walking the backlog. It replaces
// the index over every row's (target_host, locked_until), which each claim had to update too.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex("fedify_queue_target_host_idx").execute();
  await db.schema
    .createIndex("fedify_queue_in_flight_idx")
    .on("fedify_queue")
    .columns(["target_host", "locked_until"])
    .where(sql<boolean>`locked_until is not null and dead_at is null`)
    .execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex("fedify_queue_in_flight_idx").execute();
  await db.schema
    .createIndex("fedify_queue_target_host_idx")
    .on("fedify_queue")
    .columns(["target_host", "locked_until"])
    .execute();
}
