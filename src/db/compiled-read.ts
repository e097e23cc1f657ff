import {
  type Compilable,
  type CompiledQuery,
  type Expression,
  type Kysely,
  PostgresAdapter,
  CompiledQuery as Raw,
  type SqlBool,
  sql,
} from "kysely";
import type { Database } from "./schema.ts";

/** Stands for one named value in a query built once; replaced by the call's value when it runs. */
const marker = (name: string) => `\u0000compiled-read:${name}`;

const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/** What a query built once needs to know while it is built. */
export interface ReadBuilder<Name extends string> {
  /** The placeholder of each named value. */
  readonly values: Readonly<Record<Name, string>>;
  /**
   * `column` is one of the strings in the list value `name`, passed as one parameter whatever
   * the list's length (PostgreSQL: `= any($n)` of a text array; SQLite: `in` its JSON's values),
   * so that the statement's text never changes.
   */
  inList(column: string, name: Name): Expression<SqlBool>;
}

/**
 * A read run on every request whose statement is built and compiled once per database handle and
 * then run with each call's values: no query building per request, and one SQL text, so SQLite
 * reuses its prepared statement (sqlite-statement-cache.ts). `build` gets a placeholder for each
 * named value and must use them as plain values, or as lists through `inList`.
 */
export function compiledRead<Name extends string, Row>(
  names: readonly Name[],
  build: (db: Kysely<Database>, builder: ReadBuilder<Name>) => Compilable<Row>,
): (db: Kysely<Database>, values: Readonly<Record<Name, unknown>>) => Promise<Row[]> {
  const compiled = new WeakMap<
    Kysely<Database>,
    { sql: string; order: Name[]; postgres: boolean; lists: Set<Name> }
  >();
  const values = Object.fromEntries(names.map((name) => [name, marker(name)])) as Record<
    Name,
    string
  >;
  const byMarker = new Map<unknown, Name>(names.map((name) => [marker(name), name]));
  const compile = (db: Kysely<Database>) => {
    const postgres = isPostgres(db);
    const lists = new Set<Name>();
    const inList = (column: string, name: Name): Expression<SqlBool> => {
      lists.add(name);
      return postgres
        ? sql<SqlBool>`${sql.ref(column)} = any(${values[name]}::text[])`
        : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${values[name]}))`;
    };
    const query: CompiledQuery<Row> = build(db, { values, inList }).compile();
    const order = query.parameters.map((parameter) => {
      const name = byMarker.get(parameter);
      if (name === undefined) throw new Error(`compiledRead: a parameter that is not a name`);
      return name;
    });
    const entry = { sql: query.sql, order, postgres, lists };
    compiled.set(db, entry);
    return entry;
  };
  return async (db, given) => {
    const { sql: text, order, postgres, lists } = compiled.get(db) ?? compile(db);
    const parameters = order.map((name) =>
      lists.has(name) && !postgres ? JSON.stringify(given[name]) : given[name],
    );
    const result = await db.executeQuery<Row>(Raw.raw(text, parameters));
    return result.rows;
  };
}
