import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/**
 * Adapts `node:sqlite` to Kysely's SqliteDatabase interface. Used on Deno, where better-sqlite3's
 * native addon is unreliable; Node keeps better-sqlite3.
 */
export function openNodeSqlite(path: string): {
  database: SqliteDatabase;
  exec(sql: string): void;
} {
  const db = new DatabaseSync(path);
  return {
    exec: (sql) => db.exec(sql),
    database: {
      close: () => db.close(),
      prepare: (sql) => adaptStatement(db.prepare(sql)),
    },
  };
}

function adaptStatement(statement: StatementSync): SqliteStatement {
  const args = (parameters: ReadonlyArray<unknown>): SQLInputValue[] =>
    parameters.map(toInputValue);
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...args(parameters)),
    run: (parameters) => statement.run(...args(parameters)),
    iterate: (parameters) => statement.iterate(...args(parameters)),
  };
}

function toInputValue(value: unknown): SQLInputValue {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === undefined) return null;
  return value as SQLInputValue;
}
