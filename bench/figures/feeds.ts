import type { Kysely } from "kysely";
import type { Database } from "../../src/db/schema.ts";
import { type FeedRequest, type FeedScope, listFeed } from "../../src/views/feed.ts";
import { type BenchContext, reserveOrigin } from "../lib/context.ts";
import { createBenchDatabase } from "../lib/databases.ts";
import type { FigureRow } from "../lib/report.ts";
import { openMigrated, random, seedFeedDataSet } from "../seed.ts";

// Feed query latency as the data set grows: the hot listing and the personal feed (followed
// agents and subscribed submolts) through the views the API uses, one query at a time, for a
// random viewer each time; next to the same query shape on the posts table alone (its index, no
// joins, no viewer), the floor any feed query stands on.

const SIZES = [10_000, 100_000, 1_000_000];
/** --quick stops at 10^5: seeding 10^6 posts alone takes most of its two minutes. */
const QUICK_SIZES = [10_000, 100_000];

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

async function time(iterations: number, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(200, iterations); i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

function bareHot(db: Kysely<Database>) {
  return db
    .selectFrom("posts")
    .selectAll()
    .where("deleted_at", "is", null)
    .orderBy("hot_rank", "desc")
    .orderBy("id", "desc")
    .limit(26)
    .execute();
}

export async function feedFigures(ctx: BenchContext): Promise<FigureRow[]> {
  const iterations = ctx.quick ? 500 : 3000;
  const rows: FigureRow[] = [];
  for (const size of ctx.quick ? QUICK_SIZES : SIZES) {
    const { origin } = await reserveOrigin();
    const database = await createBenchDatabase(`feed_${size}`, ctx.workDir, ctx.postgresUrl);
    const db = await openMigrated(database.url);
    try {
      const started = performance.now();
      const set = await seedFeedDataSet(db.db, { origin, posts: size });
      const seeded = (performance.now() - started) / 1000;
      ctx.log(
        `feeds: seeded ${size} posts in ${seeded.toFixed(1)} s (${Math.round(size / seeded)}/s)`,
      );
      const rand = random(3);
      const viewers = Array.from(
        { length: iterations },
        () => set.agents[Math.floor(rand() * set.agents.length)]?.id ?? "",
      );
      const request = (scope: FeedScope, viewerId: string): FeedRequest => ({
        scope,
        sort: "hot",
        t: "all",
        limit: 25,
        offset: 0,
        cursor: undefined,
        viewerId,
        now: new Date(),
      });
      const baseline = await time(iterations, () => bareHot(db.db));
      const hot = await time(iterations, (i) =>
        listFeed(db.db, request({ kind: "all" }, viewers[i] ?? "")),
      );
      const personal = await time(iterations, (i) =>
        listFeed(
          db.db,
          request(
            { kind: "personal", agentId: viewers[i] ?? "", followingOnly: false },
            viewers[i] ?? "",
          ),
        ),
      );
      const label = `10^${Math.round(Math.log10(size))}`;
      for (const [name, result] of [
        ["hot", hot],
        ["personal", personal],
      ] as const) {
        rows.push(
          {
            figure: `Feed ${name} p50 @ ${label} posts`,
            value: result.p50,
            unit: "ms",
            baseline: baseline.p50,
            baselineLabel: "posts index alone",
          },
          {
            figure: `Feed ${name} p99 @ ${label} posts`,
            value: result.p99,
            unit: "ms",
            baseline: baseline.p99,
            baselineLabel: "posts index alone",
            ...(size === 1_000_000 ? { target: "< 20 ms", met: result.p99 < 20 } : {}),
          },
        );
      }
    } finally {
      await db.close();
      await database.drop();
    }
  }
  return rows;
}
