import { readFileSync } from "node:fs";
import process from "node:process";
import pg from "pg";
import { uuidv7 } from "../src/domain/ids.ts";
import { hotRank } from "../src/domain/ranking.ts";

// The writes baseline, in its own process like the server: the rows an API write adds (a post,
// a comment, a vote), inserted one per statement (one transaction each, as each API write is
// one) straight through the driver the server uses, for as long as the API was measured.
//
// Usage: node bench/raw-inserts.ts <spec.json>; prints {"count", "seconds", "perSecond"}.

export interface RawInsertSpec {
  readonly databaseUrl: string;
  readonly kind: "post" | "comment" | "vote";
  readonly durationMs: number;
  readonly origin: string;
  readonly agentIds: readonly string[];
  readonly submoltId: string;
  readonly postIds: readonly string[];
  /** PostgreSQL: inserts in flight at once (the API load's connections). */
  readonly concurrency: number;
}

const COLUMNS = {
  post: [
    "id",
    "ap_id",
    "submolt_id",
    "author_id",
    "is_local",
    "type",
    "title",
    "content",
    "hot_rank",
    "created_at",
    "updated_at",
  ],
  comment: [
    "id",
    "ap_id",
    "post_id",
    "author_id",
    "is_local",
    "content",
    "created_at",
    "updated_at",
  ],
  vote: ["id", "ap_id", "agent_id", "post_id", "value", "created_at", "updated_at"],
} as const;

const TABLES = { post: "posts", comment: "comments", vote: "votes" } as const;

function rowOf(spec: RawInsertSpec, i: number): unknown[] {
  const id = uuidv7();
  const now = new Date();
  const at = now.toISOString();
  const agent = spec.agentIds[i % spec.agentIds.length];
  switch (spec.kind) {
    case "post":
      return [
        id,
        `${spec.origin}/post/${id}`,
        spec.submoltId,
        agent,
        1,
        "text",
        `Benchmark post ${i}`,
        "Written straight into the table, as the API would write it.",
        hotRank(0, now),
        at,
        at,
      ];
    case "comment":
      return [
        id,
        `${spec.origin}/comment/${id}`,
        spec.postIds[i % spec.postIds.length],
        agent,
        1,
        `Benchmark comment ${i}`,
        at,
        at,
      ];
    case "vote": {
      // Distinct (agent, post) pairs, as the API load's votes are.
      const post = spec.postIds[Math.floor(i / spec.agentIds.length) % spec.postIds.length];
      return [id, `${spec.origin}/like/${id}`, agent, post, 1, at, at];
    }
  }
}

async function runSqlite(spec: RawInsertSpec, insert: string): Promise<number> {
  const { default: BetterSqlite3 } = await import("better-sqlite3");
  const db = new BetterSqlite3(spec.databaseUrl.slice("sqlite:".length));
  // The pragmas src/db/connect.ts applies.
  for (const pragma of [
    "busy_timeout = 5000",
    "journal_mode = WAL",
    "synchronous = NORMAL",
    "foreign_keys = ON",
    "wal_autocheckpoint = 10000",
  ])
    db.pragma(pragma);
  const statement = db.prepare(insert.replace(/\$\d+/g, "?"));
  const stopAt = performance.now() + spec.durationMs;
  let count = 0;
  while (performance.now() < stopAt) statement.run(...rowOf(spec, count++));
  db.close();
  return count;
}

async function runPostgres(spec: RawInsertSpec, insert: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: spec.databaseUrl, max: 10 });
  const stopAt = performance.now() + spec.durationMs;
  let count = 0;
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (performance.now() < stopAt) await pool.query(insert, rowOf(spec, count++));
    }),
  );
  await pool.end();
  return count;
}

export async function runRawInserts(spec: RawInsertSpec) {
  const columns = COLUMNS[spec.kind];
  const insert = `insert into ${TABLES[spec.kind]} (${columns.join(", ")}) values (${columns.map((_, i) => `$${i + 1}`).join(", ")})`;
  const started = performance.now();
  const count = spec.databaseUrl.startsWith("sqlite:")
    ? await runSqlite(spec, insert)
    : await runPostgres(spec, insert);
  const seconds = (performance.now() - started) / 1000;
  return { count, seconds, perSecond: count / seconds };
}

if (import.meta.main) {
  const spec = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as RawInsertSpec;
  process.stdout.write(`${JSON.stringify(await runRawInserts(spec))}\n`);
}
