import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// Direct messages signed by their sender's own key (docs/decisions/0010): the proof, kept only
// when it checked (it reveals nothing of the sealed text), and the key that made it.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("dm_messages").addColumn("agent_proof", "text").execute();
  await db.schema.alterTable("dm_messages").addColumn("signing_key_id", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("dm_messages").dropColumn("signing_key_id").execute();
  await db.schema.alterTable("dm_messages").dropColumn("agent_proof").execute();
}
