import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// Posts and comments signed by their agent's own key (docs/decisions/0010): the proof, kept only
// when it checked, and the key that made it. Both null for unsigned content, and cleared by an
// edit that brings no new proof.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  for (const table of ["posts", "comments"]) {
    await db.schema.alterTable(table).addColumn("agent_proof", "text").execute();
    await db.schema.alterTable(table).addColumn("signing_key_id", "text").execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["posts", "comments"]) {
    await db.schema.alterTable(table).dropColumn("signing_key_id").execute();
    await db.schema.alterTable(table).dropColumn("agent_proof").execute();
  }
}
