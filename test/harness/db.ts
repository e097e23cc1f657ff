import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import type { DbConfig } from "../../src/config/config.ts";
import { createDb, type Db, type Dialect } from "../../src/db/connect.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { TEST_DATABASE_URL } from "./dialects.ts";

/** A place for one test's database: a temp SQLite file, or a fresh PostgreSQL schema. */
export interface TestDbPlace {
  readonly config: DbConfig;
  /** Opens another connection (pool) to the same database, as a second process would. */
  open(): Promise<Db>;
  /** Removes the file or drops the schema. */
  destroy(): Promise<void>;
}

export async function createTestDbPlace(dialect: Dialect): Promise<TestDbPlace> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "moltiverse-test-"));
    const config: DbConfig = { dialect: "sqlite", path: join(dir, "db.sqlite") };
    return {
      config,
      open: () => createDb(config),
      destroy: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (TEST_DATABASE_URL === undefined) throw new Error("TEST_DATABASE_URL is not set");
  const schema = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = await createDb({ dialect: "postgres", url: TEST_DATABASE_URL });
  await sql.raw(`create schema ${schema}`).execute(admin.db);
  const config: DbConfig = { dialect: "postgres", url: TEST_DATABASE_URL, schema };
  return {
    config,
    open: () => createDb(config),
    destroy: async () => {
      await sql.raw(`drop schema ${schema} cascade`).execute(admin.db);
      await admin.close();
    },
  };
}

/** A migrated database for one test; dispose it with `await using`. */
export async function createTestDb(
  dialect: Dialect,
): Promise<Db & { place: TestDbPlace; [Symbol.asyncDispose](): Promise<void> }> {
  const place = await createTestDbPlace(dialect);
  const db = await place.open();
  await migrateToLatest(db);
  return {
    ...db,
    place,
    async [Symbol.asyncDispose]() {
      await db.close();
      await place.destroy();
    },
  };
}

/** Row counts of every table of the database (its own schema only), Kysely's tables aside. */
export async function tableRowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await db.db.introspection.getTables();
  const counts: Record<string, number> = {};
  for (const table of tables) {
    if (table.name.startsWith("kysely_")) continue;
    if (db.schema !== undefined && table.schema !== db.schema) continue;
    const row = await db.db
      .selectFrom(table.name as "agents")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table.name] = Number(row.n);
  }
  return counts;
}

/** The DATABASE_URL a separate process needs to reach this test database (its schema too). */
export function databaseUrl(config: DbConfig): string {
  if (config.dialect === "sqlite") return `sqlite:${config.path}`;
  const url = new URL(config.url);
  url.searchParams.set("options", `-c search_path=${config.schema}`);
  return url.href;
}
