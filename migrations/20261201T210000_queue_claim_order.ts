import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./context.ts";

// Claims take the oldest live message by (available_at, id). With the index on (dead_at,
// available_at), every message sharing an available_at (a fan-out enqueues a thousand at once)
// had to pass the claim's per-row checks and be sorted by id before the first was taken: each
// claim cost the whole backlog. A partial index on (available_at, id) over live messages gives
// the claim's order directly, on both dialects, and the walk stops at the first claimable one.
// Dead letters, which operators list newest first, get a small index of their own.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex("fedify_queue_available_at_idx").execute();
  await db.schema
    .createIndex("fedify_queue_available_at_id_idx")
    .on("fedify_queue")
    .columns(["available_at", "id"])
    .where(sql.ref("dead_at"), "is", null)
    .execute();
  await db.schema
    .createIndex("fedify_queue_dead_at_idx")
    .on("fedify_queue")
    .columns(["dead_at", "id"])
    .where(sql.ref("dead_at"), "is not", null)
    .execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex("fedify_queue_dead_at_idx").execute();
  await db.schema.dropIndex("fedify_queue_available_at_id_idx").execute();
  await db.schema
    .createIndex("fedify_queue_available_at_idx")
    .on("fedify_queue")
    .columns(["dead_at", "available_at"])
    .execute();
}
