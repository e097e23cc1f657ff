import { type Compilable, type CompiledQuery, type Kysely, CompiledQuery as Raw } from "kysely";
import type { Database } from "./schema.ts";

/** Stands for one named value in a query built once; replaced by the call's value when it runs. */
const marker = (name: string) => `\u0000compiled-read:${name}`;

/**
 * A read run on every request whose statement is built and compiled once per database handle and
 * then run with each call's values: no query building per request, and one SQL text, so SQLite
 * reuses its prepared statement (sqlite-statement-cache.ts). `build` gets a placeholder for each
 * named value and must use them as plain values (not in lists).
 */
export function compiledRead<Name extends string, Row>(
  names: readonly Name[],
  build: (db: Kysely<Database>, values: Readonly<Record<Name, string>>) => Compilable<Row>,
): (db: Kysely<Database>, values: Readonly<Record<Name, unknown>>) => Promise<Row[]> {
  const compiled = new WeakMap<Kysely<Database>, { sql: string; order: Name[] }>();
  const placeholders = Object.fromEntries(names.map((name) => [name, marker(name)])) as Record<
    Name,
    string
  >;
  const byMarker = new Map<unknown, Name>(names.map((name) => [marker(name), name]));
  const compile = (db: Kysely<Database>) => {
    const query: CompiledQuery<Row> = build(db, placeholders).compile();
    const order = query.parameters.map((parameter) => {
      const name = byMarker.get(parameter);
      if (name === undefined) throw new Error(`compiledRead: a parameter that is not a name`);
      return name;
    });
    const entry = { sql: query.sql, order };
    compiled.set(db, entry);
    return entry;
  };
  return async (db, values) => {
    const { sql, order } = compiled.get(db) ?? compile(db);
    const result = await db.executeQuery<Row>(
      Raw.raw(
        sql,
        order.map((name) => values[name]),
      ),
    );
    return result.rows;
  };
}
