import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./context.ts";

// PostgreSQL: a row added to the outbox or the delivery queue notifies, at commit, every process
// that LISTENs on "<schema>.<table>", so workers in other processes start at once instead of at
// their next poll. SQLite has no such thing; its workers poll.

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== "postgres") return;
  await sql`create function notify_new_rows() returns trigger language plpgsql as $$
    begin
      perform pg_notify(tg_table_schema || '.' || tg_table_name, '');
      return null;
    end $$`.execute(db);
  for (const table of ["outbox_events", "fedify_queue"]) {
    await sql`create trigger ${sql.id(`${table}_notify`)} after insert on ${sql.id(table)}
      for each statement execute function notify_new_rows()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== "postgres") return;
  for (const table of ["outbox_events", "fedify_queue"]) {
    await sql`drop trigger ${sql.id(`${table}_notify`)} on ${sql.id(table)}`.execute(db);
  }
  await sql`drop function notify_new_rows()`.execute(db);
}
