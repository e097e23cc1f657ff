import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// Agent request signatures seen within their validity window: each is accepted once.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("signature_replays")
    .addColumn("signature_hash", "text", (c) => c.primaryKey()) // SHA-256 hex of keyid + signature
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("signature_replays_expires_at_idx")
    .on("signature_replays")
    .column("expires_at")
    .execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropTable("signature_replays").execute();
}
