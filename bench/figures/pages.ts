import { join } from "node:path";
import { type App, createApp } from "../../src/app.ts";
import { parseEnv, toConfig } from "../../src/config/config.ts";
import { type BenchContext, instanceEnv, reserveOrigin } from "../lib/context.ts";
import { createBenchDatabase } from "../lib/databases.ts";
import type { FigureRow } from "../lib/report.ts";
import { openMigrated, seedFeedDataSet } from "../seed.ts";

// The site's pages rendered in-process (app.fetch, no socket), each next to the API read of the
// same content on the same app in the same run: both read through the same read cache, so the
// ratio is what turning the shared page of posts into HTML costs over turning it into JSON.

/** What a browser sends; pages and the API answer it (ActivityPub clients get JSON-LD instead). */
const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const FRONT_TARGET_MS = 5;

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  return { p50: at(0.5), p95: at(0.95) };
}

/** One request through the app, its whole body read; fails on anything but a 200. */
async function fetchOnce(app: App, origin: URL, path: string, accept: string): Promise<void> {
  const response = await app.fetch(new Request(new URL(path, origin), { headers: { accept } }));
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${body.slice(0, 200)}`);
}

/**
 * Times the page and its API read in turns (so that whatever else runs on the machine weighs on
 * both alike), after a warm-up of each.
 */
async function timePair(app: App, origin: URL, pair: Pair, iterations: number) {
  const page = () => fetchOnce(app, origin, pair.pagePath, BROWSER);
  const api = () => fetchOnce(app, origin, pair.apiPath, "application/json");
  for (let i = 0; i < Math.min(300, iterations); i++) {
    await api();
    await page();
  }
  const samples = { page: [] as number[], api: [] as number[] };
  for (let i = 0; i < iterations; i++) {
    for (const [run, into] of [
      [api, samples.api],
      [page, samples.page],
    ] as const) {
      const started = performance.now();
      await run();
      into.push(performance.now() - started);
    }
  }
  return { page: percentiles(samples.page), api: percentiles(samples.api) };
}

interface Pair {
  readonly page: string;
  readonly api: string;
  readonly pagePath: string;
  readonly apiPath: string;
  readonly target: number | undefined;
}

export async function pageFigures(ctx: BenchContext): Promise<FigureRow[]> {
  const posts = ctx.quick ? 10_000 : 100_000;
  const iterations = ctx.quick ? 1000 : 3000;
  const { port, origin } = await reserveOrigin();
  const database = await createBenchDatabase("pages", ctx.workDir, ctx.postgresUrl);
  ctx.log(`pages: seeding ${posts} posts`);
  const seeded = await openMigrated(database.url);
  const set = await seedFeedDataSet(seeded.db, { origin, posts });
  await seeded.close();

  // The instance as `npm start` builds it, without its socket (and without workers: nothing here
  // federates).
  const env = parseEnv(instanceEnv(port, database, join(ctx.workDir, "pages")));
  const app = await createApp(toConfig(env, env.SECRET_KEY ?? ""));
  try {
    const pairs: Pair[] = [
      {
        page: "GET / (front page, hot)",
        api: "GET /api/v1/posts?sort=hot",
        pagePath: "/",
        apiPath: "/api/v1/posts?sort=hot",
        target: FRONT_TARGET_MS,
      },
      {
        page: "GET /post/ID (100 comments)",
        api: "GET /api/v1/posts/ID",
        pagePath: `/post/${set.threadPostId}`,
        apiPath: `/api/v1/posts/${set.threadPostId}`,
        target: undefined,
      },
    ];
    const rows: FigureRow[] = [];
    for (const pair of pairs) {
      ctx.log(`pages: ${pair.page} next to ${pair.api}`);
      const { page, api } = await timePair(app, origin, pair, iterations);
      rows.push(
        {
          figure: `Page ${pair.page} p50 in-process`,
          value: page.p50,
          unit: "ms",
          baseline: api.p50,
          baselineLabel: `${pair.api} in-process, anonymous`,
          ...(pair.target === undefined
            ? {}
            : { target: `< ${pair.target} ms`, met: page.p50 < pair.target }),
        },
        {
          figure: "  p95",
          value: page.p95,
          unit: "ms",
          baseline: api.p95,
          baselineLabel: `${pair.api} p95`,
        },
      );
    }
    return rows;
  } finally {
    await app.close();
    await database.drop();
  }
}
