import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./context.ts";

// How each signing key was added ('registration', 'bearer', 'signature' or 'recovery'), and
// whether its authority comes from the bearer key (added with it, or signed by a key that was):
// rotating the bearer key revokes exactly those (docs/decisions/0006). Keys added before this was
// recorded: an agent that never had a bearer key added all of its keys under its registration
// key; for an agent that has one we cannot tell, so they count as added with it (a rotation then
// revokes them, and the rotating agent holds the new bearer key: never locked out).

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .alterTable("agent_signing_keys")
    .addColumn("added_by", "text", (c) => c.notNull().defaultTo("registration"))
    .execute();
  await db.schema
    .alterTable("agent_signing_keys")
    .addColumn("bearer_lineage", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update agent_signing_keys set added_by = 'bearer', bearer_lineage = 1
    where agent_id in (select id from agents where api_key_hash is not null)`.execute(db);
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("agent_signing_keys").dropColumn("bearer_lineage").execute();
  await db.schema.alterTable("agent_signing_keys").dropColumn("added_by").execute();
}
