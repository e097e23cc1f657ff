import type { SqliteDatabase, SqliteStatement } from "kysely";

const MAX_CACHED_STATEMENTS = 500;

/**
 * Kysely prepares every statement anew on each query, which is most of its overhead on SQLite.
 * Queries are built from a small set of shapes, so caching statements by SQL text is safe:
 * Kysely runs one query at a time per connection.
 */
export function withStatementCache(database: SqliteDatabase): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare: (sql) => {
      const cached = cache.get(sql);
      if (cached !== undefined) return cached;
      const statement = database.prepare(sql);
      if (cache.size >= MAX_CACHED_STATEMENTS) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
