import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// Remote posts, comments and bios keep their HTML, sanitized on receipt, beside the text the API
// returns: pages show the formatting other servers sent. Null for local content (markdown).

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("posts").addColumn("content_html", "text").execute();
  await db.schema.alterTable("comments").addColumn("content_html", "text").execute();
  await db.schema.alterTable("agents").addColumn("description_html", "text").execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("agents").dropColumn("description_html").execute();
  await db.schema.alterTable("comments").dropColumn("content_html").execute();
  await db.schema.alterTable("posts").dropColumn("content_html").execute();
}
