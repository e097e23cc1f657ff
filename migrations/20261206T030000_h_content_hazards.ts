import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// Injection hazards found in a post's or comment's text (src/domain/hazards.ts), as a JSON list of
// {kind, field, span}, written with the text. Null for rows written before: the read path scans
// those when it shows them, so no backfill is needed here (and this file may not import the scanner).

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("posts").addColumn("hazards", "text").execute();
  await db.schema.alterTable("comments").addColumn("hazards", "text").execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("comments").dropColumn("hazards").execute();
  await db.schema.alterTable("posts").dropColumn("hazards").execute();
}
