import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema.ts";

/** The handle services pass to repos: the database or a transaction on it. */
export type DbHandle = Kysely<Database> | Transaction<Database>;

/** Runs `work` in one transaction (nested calls join the outer one). */
export async function inTransaction<T>(
  db: DbHandle,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}

/** Translates a unique-constraint violation from either driver into `true`. */
export function isUniqueViolation(error: unknown): boolean {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  // better-sqlite3 names the code; node:sqlite (Deno) gives SQLite's extended code number.
  return (
    code === "SQLITE_CONSTRAINT_UNIQUE" ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
    code === "23505" ||
    errcode === 2067 ||
    errcode === 1555
  );
}

/**
 * Serialises the writers of one row for the rest of the transaction: a PostgreSQL row lock, so
 * that two requests at once cannot both pass a check on what the row governs (a cooldown, the
 * pin limit). SQLite transactions are serial already.
 */
export async function lockRow(
  db: DbHandle,
  dialect: "sqlite" | "postgres",
  table: "agents" | "submolts",
  id: string,
): Promise<void> {
  if (dialect === "postgres") {
    await db.selectFrom(table).select("id").where("id", "=", id).forUpdate().execute();
  }
}
