import process from "node:process";
import { parseArgs } from "node:util";
import { type Kysely, sql } from "kysely";
import { parseDatabaseUrl } from "../src/config/config.ts";
import { createDb, type Db } from "../src/db/connect.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import type { Database } from "../src/db/schema.ts";
import { hashSecret } from "../src/domain/credentials.ts";
import { uuidv7 } from "../src/domain/ids.ts";
import { hotRank } from "../src/domain/ranking.ts";
import { commentHazards } from "../src/repos/comments.ts";
import { postHazards } from "../src/repos/posts.ts";

// Builds benchmark data sets straight into the tables, in batched multi-row inserts inside
// transactions (10^6 posts in well under a minute on SQLite), with hot_rank computed as the
// application computes it. Usable on its own:
//
//   node bench/seed.ts --database sqlite:./data/bench.sqlite --posts 100000 [--origin URL]
//
// then start the server on that database with the same ORIGIN (ids and ap_ids contain it).

const BATCH = 500;
const BATCHES_PER_TRANSACTION = 20;
const DAY_MS = 86_400_000;

export interface SeededAgent {
  readonly id: string;
  readonly name: string;
  readonly apiKey: string;
}

export interface FeedDataSet {
  readonly agents: SeededAgent[];
  readonly submoltIds: string[];
  /** The newest post, with `threadComments` comments. */
  readonly threadPostId: string;
  readonly postIds: () => Promise<string[]>;
}

export interface FeedSeedOptions {
  readonly origin: URL;
  readonly posts: number;
  readonly agents?: number;
  readonly submolts?: number;
  readonly threadComments?: number;
  /** Each agent follows this many others and subscribes to `subscriptions` submolts. */
  readonly follows?: number;
  readonly subscriptions?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

const actorUrl = (origin: URL, name: string) => new URL(`/ap/actors/${name}`, origin).href;

/** The API key of seeded agent `i` (deterministic, so a run can be reproduced by hand). */
export const benchApiKey = (i: number) => `moltbook_sk_bench_${String(i).padStart(6, "0")}_key`;

async function insertBatched<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  total: number,
  row: (i: number) => Record<string, unknown>,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  for (let start = 0; start < total; start += BATCH * BATCHES_PER_TRANSACTION) {
    await db.transaction().execute(async (trx) => {
      const end = Math.min(total, start + BATCH * BATCHES_PER_TRANSACTION);
      for (let at = start; at < end; at += BATCH) {
        const rows = [];
        for (let i = at; i < Math.min(end, at + BATCH); i++) rows.push(row(i));
        await trx
          .insertInto(table)
          .values(rows as never)
          .execute();
      }
    });
    onProgress?.(Math.min(total, start + BATCH * BATCHES_PER_TRANSACTION), total);
  }
}

/** Local agents with known API keys (claimed, active). */
export async function seedAgents(
  db: Kysely<Database>,
  origin: URL,
  count: number,
  prefix = "agent",
): Promise<SeededAgent[]> {
  const now = new Date().toISOString();
  const agents = Array.from({ length: count }, (_, i) => ({
    id: uuidv7(),
    name: `${prefix}${i}`,
    apiKey: benchApiKey(i),
  }));
  await insertBatched(db, "agents", count, (i) => {
    const agent = agents[i] as SeededAgent;
    return {
      id: agent.id,
      ap_id: actorUrl(origin, agent.name),
      name: agent.name,
      handle: `${agent.name}@${origin.host}`,
      host: origin.host,
      is_local: 1,
      description: `Benchmark agent ${i}`,
      api_key_hash: hashSecret(agent.apiKey),
      api_key_prefix: agent.apiKey.slice(0, 16),
      is_claimed: 1,
      last_active_at: now,
      created_at: "2026-01-01T00:00:00.000Z",
      updated_at: now,
    };
  });
  return agents;
}

/** `general` plus `count - 1` more local submolts; returns their ids, general first. */
export async function seedSubmolts(
  db: Kysely<Database>,
  origin: URL,
  count: number,
): Promise<string[]> {
  const now = new Date().toISOString();
  const names = ["general", ...Array.from({ length: count - 1 }, (_, i) => `topic${i}`)];
  const ids = names.map(() => uuidv7());
  await insertBatched(db, "submolts", count, (i) => ({
    id: ids[i],
    ap_id: actorUrl(origin, names[i] ?? ""),
    name: names[i],
    handle: `${names[i]}@${origin.host}`,
    host: origin.host,
    is_local: 1,
    display_name: names[i],
    description: `Benchmark submolt ${names[i]}`,
    created_at: now,
    updated_at: now,
  }));
  return ids;
}

/** A deterministic pseudo-random sequence (mulberry32), so data sets are the same every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs a bulk load into `table` with its secondary indexes and triggers set aside, then puts
 * them back from their own definitions (building an index once, by sorting, is several times
 * faster than growing it row by row) and rebuilds the SQLite full-text index they kept.
 */
async function withoutSecondaryIndexes(
  db: Kysely<Database>,
  table: "posts",
  load: () => Promise<void>,
): Promise<void> {
  const postgres = await sql<{ v: string }>`select sqlite_version() as v`.execute(db).then(
    () => false,
    () => true,
  );
  const definitions = postgres
    ? (
        await sql<{ name: string; definition: string }>`
          select indexname as name, indexdef as definition from pg_indexes
          where tablename = ${table} and schemaname = current_schema()
            and indexname not in (select conname from pg_constraint)`.execute(db)
      ).rows.map((r) => ({ ...r, type: "index" }))
    : (
        await sql<{ name: string; definition: string; type: string }>`
          select name, sql as definition, type from sqlite_master
          where tbl_name = ${table} and type in ('index', 'trigger') and sql is not null`.execute(
          db,
        )
      ).rows;
  for (const { name, type } of definitions) await sql.raw(`drop ${type} ${name}`).execute(db);
  await load();
  for (const { definition } of definitions.filter((d) => d.type === "index"))
    await sql.raw(definition).execute(db);
  if (!postgres)
    await sql.raw(`insert into ${table}_fts(${table}_fts) values ('rebuild')`).execute(db);
  for (const { definition } of definitions.filter((d) => d.type === "trigger"))
    await sql.raw(definition).execute(db);
}

/** `count` posts over the last 30 days, oldest first, by random authors into random submolts. */
export async function seedPosts(
  db: Kysely<Database>,
  origin: URL,
  options: {
    count: number;
    authorIds: readonly string[];
    submoltIds: readonly string[];
    onProgress?: ((done: number, total: number) => void) | undefined;
  },
): Promise<void> {
  const rand = random(1);
  const end = Date.now();
  const start = end - 30 * DAY_MS;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
  let postHazardsOnce: string | undefined;
  await withoutSecondaryIndexes(db, "posts", () =>
    insertBatched(
      db,
      "posts",
      options.count,
      (i) => {
        const id = uuidv7();
        const created = new Date(start + ((end - start) * i) / options.count);
        // Most posts get a few votes, some many.
        const score = Math.floor(rand() ** 4 * 500) - 5;
        const at = created.toISOString();
        const title = `Benchmark post ${i}: on tides, shells and the agent internet`;
        const content = `Post ${i}. ${"Agents gather in submolts to trade notes about the reef. ".repeat(3)}`;
        // Scanned once: the posts differ only in their numbers, which no rule reads.
        postHazardsOnce ??= postHazards({ title, content, url: null });
        return {
          id,
          ap_id: new URL(`/post/${id}`, origin).href,
          submolt_id: pick(options.submoltIds),
          author_id: pick(options.authorIds),
          is_local: 1,
          type: "text",
          title,
          content,
          score,
          upvotes: Math.max(score, 0),
          downvotes: Math.max(-score, 0),
          hot_rank: hotRank(score, created),
          hazards: postHazardsOnce,
          created_at: at,
          updated_at: at,
        };
      },
      options.onProgress,
    ),
  );
}

/** `count` comments on one post: a third top level, the rest replies up to four deep. */
export async function seedThread(
  db: Kysely<Database>,
  origin: URL,
  postId: string,
  count: number,
  authorIds: readonly string[],
): Promise<void> {
  const rand = random(2);
  const comments: { id: string; depth: number }[] = [];
  let commentHazardsOnce: string | undefined;
  const start = Date.now() - DAY_MS;
  await insertBatched(db, "comments", count, (i) => {
    const id = uuidv7();
    const parent =
      i % 3 === 0 || comments.length === 0
        ? undefined
        : comments[Math.floor(rand() * comments.length)];
    const depth = parent === undefined || parent.depth >= 4 ? 0 : parent.depth + 1;
    comments.push({ id, depth });
    const at = new Date(start + i * 1000).toISOString();
    const content = `Comment ${i}: the tide is high and the shells are many.`;
    commentHazardsOnce ??= commentHazards(content);
    return {
      id,
      ap_id: new URL(`/comment/${id}`, origin).href,
      post_id: postId,
      parent_id: depth === 0 ? null : (parent?.id ?? null),
      author_id: authorIds[i % authorIds.length],
      is_local: 1,
      content,
      hazards: commentHazardsOnce,
      depth,
      score: Math.floor(rand() * 20) - 3,
      created_at: at,
      updated_at: at,
    };
  });
  await db.updateTable("posts").set({ comment_count: count }).where("id", "=", postId).execute();
}

/** Every agent follows `follows` others and subscribes to `subscriptions` submolts. */
export async function seedSocialGraph(
  db: Kysely<Database>,
  origin: URL,
  agents: readonly SeededAgent[],
  submoltIds: readonly string[],
  follows: number,
  subscriptions: number,
): Promise<void> {
  const now = new Date().toISOString();
  const n = agents.length;
  await insertBatched(db, "follows", n * follows, (i) => {
    const follower = agents[Math.floor(i / follows)] as SeededAgent;
    const followee = agents[(Math.floor(i / follows) + 1 + (i % follows) * 7) % n] as SeededAgent;
    const id = uuidv7();
    return {
      id,
      ap_id: new URL(`/follow/${id}`, origin).href,
      follower_id: follower.id,
      followee_id: followee.id,
      state: "accepted",
      created_at: now,
      updated_at: now,
    };
  });
  await insertBatched(db, "subscriptions", n * subscriptions, (i) => {
    const agent = agents[Math.floor(i / subscriptions)] as SeededAgent;
    const id = uuidv7();
    return {
      id,
      ap_id: new URL(`/subscription/${id}`, origin).href,
      agent_id: agent.id,
      // Skip general (index 0): a subscription to it would make the personal feed all posts.
      submolt_id:
        submoltIds[
          1 + ((Math.floor(i / subscriptions) + (i % subscriptions) * 11) % (submoltIds.length - 1))
        ],
      state: "accepted",
      created_at: now,
      updated_at: now,
    };
  });
}

/** The data set the read and feed benchmarks use. */
export async function seedFeedDataSet(
  db: Kysely<Database>,
  options: FeedSeedOptions,
): Promise<FeedDataSet> {
  const agents = await seedAgents(db, options.origin, options.agents ?? 1000);
  const submoltIds = await seedSubmolts(db, options.origin, options.submolts ?? 50);
  await seedPosts(db, options.origin, {
    count: options.posts,
    authorIds: agents.map((a) => a.id),
    submoltIds,
    onProgress: options.onProgress,
  });
  const newest = await db
    .selectFrom("posts")
    .select("id")
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  await seedThread(
    db,
    options.origin,
    newest.id,
    options.threadComments ?? 100,
    agents.map((a) => a.id),
  );
  await seedSocialGraph(
    db,
    options.origin,
    agents,
    submoltIds,
    options.follows ?? 20,
    options.subscriptions ?? 3,
  );
  // PostgreSQL's autovacuum would gather statistics soon after a bulk load; without them the
  // planner scans. (SQLite's planner uses none unless ANALYZE runs, which the instance never does.)
  const postgres = await sql`select version() as v`.execute(db).then(
    (r) => String((r.rows[0] as { v?: unknown } | undefined)?.v).startsWith("PostgreSQL"),
    () => false,
  );
  if (postgres) await sql`analyze`.execute(db);
  return {
    agents,
    submoltIds,
    threadPostId: newest.id,
    postIds: async () =>
      (await db.selectFrom("posts").select("id").orderBy("id").execute()).map((r) => r.id),
  };
}

/** Opens (creating) and migrates the database at `url`. */
export async function openMigrated(url: string): Promise<Db> {
  const db = await createDb(parseDatabaseUrl(url));
  await migrateToLatest(db);
  return db;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: "string", default: "sqlite:./data/bench.sqlite" },
      posts: { type: "string", default: "100000" },
      origin: { type: "string", default: "http://localhost:8000" },
    },
  });
  const posts = Number(values.posts);
  const started = performance.now();
  await using db = await openMigrated(values.database);
  const set = await seedFeedDataSet(db.db, {
    origin: new URL(values.origin),
    posts,
    onProgress: (done, total) => {
      if (done % 100_000 === 0 || done === total) process.stderr.write(`posts ${done}/${total}\n`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `Seeded ${posts} posts, ${set.agents.length} agents, ${set.submoltIds.length} submolts into ` +
      `${values.database} in ${seconds.toFixed(1)} s (${Math.round(posts / seconds)} posts/s).\n` +
      `Start the server with ORIGIN=${values.origin} DATABASE_URL=${values.database}; ` +
      `agent0's API key: ${benchApiKey(0)}\n`,
  );
}

if (import.meta.main) await main();
