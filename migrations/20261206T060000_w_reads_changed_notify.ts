import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./context.ts";

// PostgreSQL: a statement that inserts, updates or deletes rows of what the shared reads show
// (posts, comments, agents, submolts, blocks) notifies, at commit, every process that LISTENs on
// "<schema>.changed", with the table's name, so each drops the pages it shares at once instead of
// serving them until they expire. PostgreSQL sends one notification per table and transaction.
// SQLite processes see each other's commits through PRAGMA data_version instead.

const TABLES = ["posts", "comments", "agents", "submolts", "instance_blocks", "actor_blocks"];

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== "postgres") return;
  await sql`create function notify_reads_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify(tg_table_schema || '.changed', tg_table_name);
      return null;
    end $$`.execute(db);
  for (const table of TABLES) {
    await sql`create trigger ${sql.id(`${table}_changed_notify`)}
      after insert or update or delete on ${sql.id(table)}
      for each statement execute function notify_reads_changed()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== "postgres") return;
  for (const table of TABLES) {
    await sql`drop trigger ${sql.id(`${table}_changed_notify`)} on ${sql.id(table)}`.execute(db);
  }
  await sql`drop function notify_reads_changed()`.execute(db);
}
