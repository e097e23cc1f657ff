import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// Operator controls: instances and actors this instance refuses (defederation), and local agents
// an operator suspended. A block is a row, so unblocking restores everything it hid.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("instance_blocks")
    .addColumn("host", "text", (c) => c.primaryKey()) // lower-case URL host; covers its subdomains
    .addColumn("reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("actor_blocks")
    .addColumn("ap_id", "text", (c) => c.primaryKey())
    .addColumn("reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.alterTable("agents").addColumn("suspended_at", "text").execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("agents").dropColumn("suspended_at").execute();
  await db.schema.dropTable("actor_blocks").execute();
  await db.schema.dropTable("instance_blocks").execute();
}
