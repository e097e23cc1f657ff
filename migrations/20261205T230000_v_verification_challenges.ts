import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// Posts and comments waiting for their author to answer a verification challenge
// (VERIFICATION_CHALLENGES). They wait here, not in posts/comments, so nothing that lists,
// searches, streams or federates content can show them before they are verified. The code is
// kept as its hash and the answer sealed with the instance's key.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("verification_challenges")
    .addColumn("code_hash", "text", (c) => c.primaryKey())
    .addColumn("agent_id", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("content_id", "text", (c) => c.notNull())
    // The row to publish once verified (JSON).
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("answer_sealed", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("verified_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("verification_challenges_agent_idx")
    .on("verification_challenges")
    .columns(["agent_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropTable("verification_challenges").execute();
}
