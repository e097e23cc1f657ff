import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { sql } from "kysely";
import { NO_MIGRATIONS } from "kysely/migration";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../migrations/index.ts";
import type { Db } from "../../src/db/connect.ts";
import { migrateToLatest, runMigrations } from "../../src/db/migrate.ts";
import { createTestDbPlace, databaseUrl } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";

const MIGRATION_FILE = /^\d{8}T\d{6}_[a-z0-9_]+\.ts$/;

describe("migration registry", () => {
  it("lists every migration file in migrations/, in order, and nothing else", () => {
    const files = readdirSync(new URL("../../migrations/", import.meta.url))
      .filter((f) => MIGRATION_FILE.test(f))
      .map((f) => f.slice(0, -".ts".length))
      .sort();
    const registered = Object.keys(MIGRATIONS);
    expect(registered).toEqual(files);
    expect(registered).toEqual([...registered].sort());
  });
});

async function snapshot(db: Db): Promise<unknown> {
  const tables = await db.db.introspection.getTables();
  return tables
    .filter(
      (t) => !t.name.startsWith("kysely_") && (db.schema === undefined || t.schema === db.schema),
    )
    .map((t) => ({
      name: t.name,
      columns: t.columns.map((c) => [c.name, c.dataType, c.isNullable]).sort(),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Foreign keys whose columns are not the leading columns of some index (or the primary key). */
async function unindexedForeignKeys(db: Db): Promise<string[]> {
  if (db.dialect === "sqlite") {
    const { rows } = await sql<{ tbl: string; col: string }>`
      select m.name as tbl, fk."from" as col
      from sqlite_master m, pragma_foreign_key_list(m.name) fk
      where m.type = 'table'
        and not exists (
          select 1 from pragma_index_list(m.name) il, pragma_index_info(il.name) ii
          where ii.seqno = 0 and ii.name = fk."from")`.execute(db.db);
    return rows.map((r) => `${r.tbl}.${r.col}`);
  }
  const { rows } = await sql<{ tbl: string; col: string }>`
    select c.conrelid::regclass::text as tbl, a.attname as col
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.connamespace = current_schema()::regnamespace
      and not exists (
        select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])`.execute(
    db.db,
  );
  return rows.map((r) => `${r.tbl}.${r.col}`);
}

describe.each(DIALECTS)("%s: migrations", (dialect) => {
  it("go up, all the way down, and up again to the same schema", async () => {
    const place = await createTestDbPlace(dialect);
    const db = await place.open();
    try {
      const applied = await migrateToLatest(db);
      expect(applied).toEqual(Object.keys(MIGRATIONS));
      const first = await snapshot(db);
      expect(first).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: "agents" }),
          expect.objectContaining({ name: "fedify_queue" }),
        ]),
      );

      const down = await runMigrations(db, (m) => m.migrateTo(NO_MIGRATIONS));
      expect(down.error).toBeUndefined();
      expect(await snapshot(db)).toEqual([]);

      await migrateToLatest(db);
      expect(await snapshot(db)).toEqual(first);
    } finally {
      await db.close();
      await place.destroy();
    }
  });

  it("index every foreign key", async () => {
    const place = await createTestDbPlace(dialect);
    const db = await place.open();
    try {
      await migrateToLatest(db);
      expect(await unindexedForeignKeys(db)).toEqual([]);
    } finally {
      await db.close();
      await place.destroy();
    }
  });

  it("two processes migrating one database at once apply each migration exactly once", async () => {
    const place = await createTestDbPlace(dialect);
    try {
      const env = { ...process.env, DATABASE_URL: databaseUrl(place.config), DATA_DIR: tmpdir() };
      const runs = await Promise.all([runMigrateCli(env), runMigrateCli(env)]);
      const applied = runs.filter((out) => out.startsWith("Applied:"));
      expect(applied).toHaveLength(1);
      expect(runs.filter((out) => out.startsWith("Nothing to do"))).toHaveLength(1);
      expect(await runMigrateCli(env)).toMatch(/^Nothing to do/);
    } finally {
      await place.destroy();
    }
  });
});

async function runMigrateCli(env: NodeJS.ProcessEnv): Promise<string> {
  const cli = new URL("../../src/cli/migrate.ts", import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, [cli, "up"], { env });
  return stdout;
}
