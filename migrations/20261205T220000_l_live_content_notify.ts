import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./context.ts";

// PostgreSQL: new posts and comments notify, at commit, every process that LISTENs on
// "<schema>.posts" / "<schema>.comments", with the new rows' ids (the first 100 of a statement,
// comma-separated: a bulk copy must not flood), so live pages served by any web process show what
// another wrote. One notification per statement; an insert that added nothing sends an empty one.
// SQLite has no such thing; its processes hear only their own writes.

const TABLES = ["posts", "comments"] as const;

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== "postgres") return;
  await sql`create function notify_new_content() returns trigger language plpgsql as $$
    begin
      perform pg_notify(
        tg_table_schema || '.' || tg_table_name,
        coalesce((select string_agg(id::text, ',') from (select id from new_rows limit 100) as firsts), '')
      );
      return null;
    end $$`.execute(db);
  for (const table of TABLES) {
    await sql`create trigger ${sql.id(`${table}_notify`)} after insert on ${sql.id(table)}
      referencing new table as new_rows
      for each statement execute function notify_new_content()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== "postgres") return;
  for (const table of TABLES) {
    await sql`drop trigger ${sql.id(`${table}_notify`)} on ${sql.id(table)}`.execute(db);
  }
  await sql`drop function notify_new_content()`.execute(db);
}
