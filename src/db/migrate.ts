import { type Kysely, sql } from "kysely";
import { type Migration, type MigrationResultSet, Migrator } from "kysely/migration";
import { MIGRATIONS } from "../../migrations/index.ts";
import type { Db, Dialect } from "./connect.ts";
import type { Database } from "./schema.ts";

/** A Kysely Migrator over the static registry, threading the dialect into each migration. */
export function createMigrator(db: Kysely<Database>, dialect: Dialect, schema?: string): Migrator {
  // Migrations are frozen in time and see no app types.
  const untyped = db as unknown as Kysely<unknown>;
  const withContext = Object.fromEntries(
    Object.entries(MIGRATIONS).map(([name, m]): [string, Migration] => [
      name,
      { up: (d) => m.up(d, { dialect }), down: (d) => m.down(d, { dialect }) },
    ]),
  );
  return new Migrator({
    db: untyped,
    provider: { getMigrations: async () => withContext },
    // Kysely looks for its bookkeeping tables in every schema unless told which one is ours.
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
}

/**
 * Runs one migrator operation so that concurrent starts are safe and a failed run changes nothing.
 * PostgreSQL: Kysely's advisory lock and transactional DDL. SQLite: Kysely takes no lock and no
 * transaction there, so the whole run goes in one `BEGIN IMMEDIATE` (one writer at a time; the
 * second process reads the migration table only after the first commits).
 */
export async function runMigrations(
  target: Db,
  operation: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<MigrationResultSet> {
  const { db, dialect } = target;
  if (dialect === "postgres") return operation(createMigrator(db, dialect, target.schema));
  return db.connection().execute(async (connection) => {
    // NOTE: off for the run, as SQLite's table-rebuild procedure requires (inside a transaction
    // the pragma does nothing, and dropping a rebuilt table would cascade to its children); the
    // run commits only if every foreign key still holds.
    await sql`pragma foreign_keys = off`.execute(connection);
    try {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await operation(createMigrator(connection, dialect));
        // NOTE: only after a run that applied something: the check reads every table, which on a
        // start with nothing to apply costs a scan of the whole database and fills SQLite's page
        // cache (16 MiB resident) with pages nobody asked for.
        if (result.error === undefined && result.results?.some((r) => r.status === "Success")) {
          await assertForeignKeysHold(connection);
        }
        await sql.raw(result.error === undefined ? "commit" : "rollback").execute(connection);
        return result;
      } catch (error) {
        await sql`rollback`.execute(connection);
        throw error;
      }
    } finally {
      await sql`pragma foreign_keys = on`.execute(connection);
    }
  });
}

async function assertForeignKeysHold(connection: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ table: string }>`pragma foreign_key_check`.execute(connection);
  if (rows.length > 0)
    throw new Error(`Migration broke foreign keys in ${[...new Set(rows.map((r) => r.table))]}`);
}

/** Migrates to the latest version; returns the names applied, throws naming a failed one. */
export async function migrateToLatest(target: Db): Promise<string[]> {
  return applied(await runMigrations(target, (m) => m.migrateToLatest()));
}

export function applied({ error, results }: MigrationResultSet): string[] {
  const failed = results?.find((r) => r.status === "Error");
  if (error !== undefined) {
    const where = failed === undefined ? "" : ` in ${failed.migrationName}`;
    throw new Error(`Migration failed${where}: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
