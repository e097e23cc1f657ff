import { type Kysely, sql } from "kysely";
import type { Db } from "./connect.ts";

// Copies an instance's SQLite database into an empty, migrated PostgreSQL database, table by
// table in foreign-key order, in one transaction that commits only if every count matches.

export interface TableCopy {
  readonly table: string;
  readonly rows: number;
}

const BATCH = 500;

/** Tables that belong to the schema on both sides; SQLite's own, FTS and migration tables are not copied. */
function isCopied(name: string): boolean {
  return !/^(sqlite_|kysely_)/.test(name) && !/_fts(_|$)/.test(name);
}

export async function copySqliteToPostgres(
  source: Db,
  target: Db,
  onTable: (copy: TableCopy) => void = () => {},
): Promise<TableCopy[]> {
  if (source.dialect !== "sqlite" || target.dialect !== "postgres") {
    throw new Error("The copy goes from SQLite to PostgreSQL");
  }
  const sourceDb = source.db as Kysely<unknown>;
  const targetColumns = await columnsByTable(target.db as Kysely<unknown>);
  const tables = await tablesInForeignKeyOrder(sourceDb);
  const copied = tables.filter((t) => targetColumns.has(t));
  return (target.db as Kysely<unknown>).transaction().execute(async (trx) => {
    for (const table of copied) {
      if ((await countRows(trx, table)) > 0) {
        throw new Error(
          `The target is not empty (table ${table} has rows): copy into a new database`,
        );
      }
    }
    const done: TableCopy[] = [];
    for (const table of copied) {
      const columns = (await sourceColumns(sourceDb, table)).filter((c) =>
        targetColumns.get(table)?.has(c),
      );
      const rows = await copyTable(sourceDb, trx, table, columns);
      const expected = await countRows(sourceDb, table);
      const landed = await countRows(trx, table);
      if (rows !== expected || landed !== expected) {
        throw new Error(`${table}: ${expected} rows in SQLite, ${landed} in PostgreSQL`);
      }
      done.push({ table, rows });
      onTable({ table, rows });
    }
    return done;
  });
}

/** Copies in SQLite's insertion (rowid) order, so parents precede children within a table. */
async function copyTable(
  source: Kysely<unknown>,
  target: Kysely<unknown>,
  table: string,
  columns: readonly string[],
): Promise<number> {
  let after = -1;
  let copied = 0;
  for (;;) {
    const { rows } = await sql<Record<string, unknown>>`
      select rowid as ${sql.id("__rowid")}, ${sql.join(columns.map((c) => sql.id(c)))}
      from ${sql.id(table)} where rowid > ${after} order by rowid limit ${BATCH}`.execute(source);
    if (rows.length === 0) return copied;
    after = Number(rows.at(-1)?.__rowid);
    const values = rows.map((row) => sql`(${sql.join(columns.map((c) => row[c] ?? null))})`);
    await sql`insert into ${sql.id(table)} (${sql.join(columns.map((c) => sql.id(c)))})
      values ${sql.join(values)}`.execute(target);
    copied += rows.length;
  }
}

async function countRows(db: Kysely<unknown>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.id(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

async function columnsByTable(db: Kysely<unknown>): Promise<Map<string, Set<string>>> {
  const tables = await db.introspection.getTables();
  return new Map(tables.map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
}

async function sourceColumns(db: Kysely<unknown>, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select name from pragma_table_info(${table}) order by cid`.execute(db);
  return rows.map((r) => r.name);
}

/** Every copied table after the tables it references (the schema has no cycles). */
async function tablesInForeignKeyOrder(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' order by name`.execute(db);
  const names = rows.map((r) => r.name).filter(isCopied);
  const references = new Map<string, string[]>();
  for (const name of names) {
    const fks = await sql<{ table: string }>`
      select "table" from pragma_foreign_key_list(${name})`.execute(db);
    references.set(
      name,
      fks.rows.map((r) => r.table).filter((t) => t !== name),
    );
  }
  const ordered: string[] = [];
  const visit = (name: string, path: readonly string[]) => {
    if (ordered.includes(name)) return;
    if (path.includes(name))
      throw new Error(`Foreign keys form a cycle: ${[...path, name].join(" → ")}`);
    for (const parent of references.get(name) ?? []) visit(parent, [...path, name]);
    ordered.push(name);
  };
  for (const name of names) visit(name, []);
  return ordered;
}
