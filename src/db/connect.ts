import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, type SqliteDatabase, SqliteDialect, sql } from "kysely";
import type pg from "pg";
import type { DbConfig } from "../config/config.ts";
import { SchemaScopedPostgresDialect } from "./pg-introspector.ts";
import { type StopWatching, type WatchedTable, watchInserts } from "./pg-notifications.ts";
import type { Database } from "./schema.ts";
import { openNodeSqlite } from "./sqlite-node.ts";
import { withStatementCache } from "./sqlite-statement-cache.ts";
import { WriteObserver, type WriteSignal } from "./write-signal.ts";

export type Dialect = "sqlite" | "postgres";

export interface Db {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** PostgreSQL: the schema the tables live in (the first of the search path). */
  readonly schema?: string;
  /** Every write made through `db` in this process (read caches listen). */
  readonly writes: WriteSignal;
  /**
   * SQLite: PRAGMA data_version, which moves when another connection (another process) commits
   * (a microsecond; caches check it before every read, see changeCheck). PostgreSQL: undefined;
   * other processes' changes come as notifications (watchInserts, "changed").
   */
  readonly dataVersion?: () => number;
  /**
   * PostgreSQL: calls `onInsert` when any process adds outbox events, queued messages, posts or
   * comments (LISTEN on a connection of its own). SQLite: undefined; workers poll.
   */
  readonly watchInserts?: (
    onInsert: (table: WatchedTable, payload: string) => void,
    onError: (error: unknown) => void,
  ) => Promise<StopWatching>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

// busy_timeout first: switching to WAL needs a lock another process (say, one migrating) may hold.
const SQLITE_PRAGMAS = [
  "busy_timeout = 5000",
  "journal_mode = WAL",
  "synchronous = NORMAL",
  "foreign_keys = ON",
  // Fewer checkpoint fsyncs: inserts into large tables are bound by them (reference/performance-notes.md).
  "wal_autocheckpoint = 10000",
];

/** Opens the database DbConfig names: SQLite (file, created with its folder) or PostgreSQL. */
export async function createDb(config: DbConfig): Promise<Db> {
  if (config.dialect === "sqlite") return openSqlite(config.path);
  return openPostgres(config.url, config.schema);
}

/**
 * Creates the database file readable by its owner alone (SQLite gives its -wal and -shm files the
 * same mode): it holds key hashes, encrypted keys and every agent's data. A file made before
 * this rule is narrowed too.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, "a", 0o600));
  chmodSync(path, 0o600);
}

async function openSqlite(path: string): Promise<Db> {
  if (path !== ":memory:") createPrivately(path);
  const database = await openSqliteDriver(path);
  const writes = new WriteObserver();
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database }),
    plugins: [writes],
  });
  for (const pragma of SQLITE_PRAGMAS) await sql.raw(`PRAGMA ${pragma}`).execute(db);
  // NOTE: data_version never moves for this connection's own writes (the WriteSignal reports
  // those). Read outside Kysely: one prepared statement, between its queries (the driver is
  // synchronous).
  const version = database.prepare("PRAGMA data_version");
  const dataVersion = () => Number((version.all([])[0] as { data_version: number }).data_version);
  return { ...withClose(db, "sqlite", writes), dataVersion };
}

/**
 * For one cache: whether another process committed since the last call (SQLite); undefined on
 * PostgreSQL, where notifications say so.
 */
export function changeCheck(db: Pick<Db, "dataVersion">): (() => boolean) | undefined {
  const read = db.dataVersion;
  if (read === undefined) return undefined;
  let seen = read();
  return () => {
    const now = read();
    if (now === seen) return false;
    seen = now;
    return true;
  };
}

async function openSqliteDriver(path: string): Promise<SqliteDatabase> {
  // NOTE: better-sqlite3's addon crashes under Deno (denoland/deno#26034); Deno gets node:sqlite.
  if ("Deno" in globalThis) return withStatementCache(openNodeSqlite(path).database);
  const { default: BetterSqlite3 } = await import("better-sqlite3");
  return withStatementCache(new BetterSqlite3(path));
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

async function openPostgres(url: string, schema: string | undefined): Promise<Db> {
  // Loaded here, not at start: a SQLite instance never needs the driver (a megabyte resident).
  const { default: pg } = await import("pg");
  // Counts and sums come back as int8/numeric strings; our values fit in a double.
  const types: pg.CustomTypesConfig = {
    getTypeParser: (oid: number, format?: "text" | "binary") =>
      oid === PG_INT8 || oid === PG_NUMERIC
        ? (value: string) => Number(value)
        : pg.types.getTypeParser(oid, format),
  };
  const connection = {
    connectionString: url,
    types,
    ...(schema === undefined ? {} : { options: `-c search_path=${quoteIdentifier(schema)}` }),
  };
  const pool = new pg.Pool({ ...connection, max: 10 });
  const writes = new WriteObserver();
  const db = new Kysely<Database>({
    dialect: new SchemaScopedPostgresDialect({ pool }),
    plugins: [writes],
  });
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const current = rows[0]?.schema ?? "public";
  return {
    ...withClose(db, "postgres", writes),
    schema: current,
    watchInserts: (onInsert, onError) => watchInserts(connection, current, onInsert, onError),
  };
}

function withClose(db: Kysely<Database>, dialect: Dialect, writes: WriteSignal): Db {
  const close = () => db.destroy();
  return { db, dialect, writes, close, [Symbol.asyncDispose]: close };
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unsafe schema name: ${name}`);
  return name;
}
