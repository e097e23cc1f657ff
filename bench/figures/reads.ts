import { join } from "node:path";
import { type BenchContext, reserveOrigin, startInstance } from "../lib/context.ts";
import { createBenchDatabase } from "../lib/databases.ts";
import { freePort, runLoadProcess, type ServerProcess, startServer } from "../lib/processes.ts";
import type { FigureRow } from "../lib/report.ts";
import type { LoadRequest, LoadResult } from "../load.ts";
import { openMigrated, seedFeedDataSet } from "../seed.ts";

// Client API reads against a real server process, from a load generator in another process,
// next to a constant-JSON route on the same stack; and the server's resident memory, idle and
// under this load, next to the constant-JSON server's.

const CONNECTIONS = 32;
const AGENTS_CYCLED = 100;

interface Measured {
  readonly load: LoadResult;
  readonly peakRssMiB: number;
}

async function measure(
  ctx: BenchContext,
  server: ServerProcess,
  requests: LoadRequest[],
): Promise<Measured> {
  let peak = server.rssMiB();
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rssMiB());
  }, 100);
  try {
    const load = await runLoadProcess(
      {
        port: server.port,
        connections: CONNECTIONS,
        durationMs: ctx.quick ? 3000 : 10_000,
        warmupMs: ctx.quick ? 1000 : 2000,
        requests,
        cycle: true,
      },
      ctx.workDir,
    );
    const failed = Object.entries(load.statuses).filter(([status]) => status !== "200");
    if (failed.length > 0 || load.errors > 0) {
      throw new Error(
        `${requests[0]?.path}: ${JSON.stringify(load.statuses)}, ${load.errors} errors`,
      );
    }
    return { load, peakRssMiB: peak };
  } finally {
    clearInterval(sampler);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));

export async function readFigures(ctx: BenchContext): Promise<FigureRow[]> {
  const posts = ctx.quick ? 10_000 : 100_000;
  const { port, origin } = await reserveOrigin();
  const database = await createBenchDatabase("reads", ctx.workDir, ctx.postgresUrl);
  ctx.log(`reads: seeding ${posts} posts`);
  const db = await openMigrated(database.url);
  const set = await seedFeedDataSet(db.db, { origin, posts });
  await db.close();

  const baselinePort = await freePort();
  const baseline = await startServer({
    script: "bench/baseline-server.ts",
    port: baselinePort,
    env: { PORT: String(baselinePort) },
    logFile: join(ctx.workDir, "baseline-server.log"),
  });
  const server = await startInstance(ctx, "reads", port, database);
  try {
    await settle();
    const idle = { server: server.rssMiB(), baseline: baseline.rssMiB() };
    ctx.log("reads: constant-JSON baseline");
    const constant = await measure(ctx, baseline, [{ method: "GET", path: "/json" }]);
    const authed = (path: string): LoadRequest[] =>
      set.agents.slice(0, AGENTS_CYCLED).map((agent) => ({
        method: "GET",
        path,
        headers: { Authorization: `Bearer ${agent.apiKey}` },
      }));
    const routes: [string, LoadRequest[]][] = [
      ["GET /posts?sort=hot", authed("/api/v1/posts?sort=hot")],
      ["GET /feed", authed("/api/v1/feed")],
      ["GET /posts/ID (100 comments)", authed(`/api/v1/posts/${set.threadPostId}`)],
    ];
    const rows: FigureRow[] = [];
    let peak = 0;
    for (const [label, requests] of routes) {
      ctx.log(`reads: ${label}`);
      const result = await measure(ctx, server, requests);
      peak = Math.max(peak, result.peakRssMiB);
      rows.push(
        {
          figure: `API reads/s ${label}`,
          value: result.load.perSecond,
          unit: "/s",
          baseline: constant.load.perSecond,
          baselineLabel: "constant JSON",
          target: "≥ 40 %",
          met: result.load.perSecond >= 0.4 * constant.load.perSecond,
        },
        {
          figure: "  p50 latency",
          value: result.load.p50Ms,
          unit: "ms",
          baseline: constant.load.p50Ms,
          baselineLabel: "constant JSON p50",
        },
        {
          figure: "  p99 latency",
          value: result.load.p99Ms,
          unit: "ms",
          baseline: constant.load.p99Ms,
          baselineLabel: "constant JSON p99",
        },
      );
    }
    rows.push(
      {
        figure: "Memory (RSS) idle",
        value: idle.server,
        unit: "MiB",
        baseline: idle.baseline,
        baselineLabel: "constant-JSON server",
        target: "< 150 MB",
        met: idle.server * 1.048576 < 150,
      },
      {
        figure: "Memory (RSS) peak under read load",
        value: peak,
        unit: "MiB",
        baseline: constant.peakRssMiB,
        baselineLabel: "constant-JSON server",
      },
    );
    return rows;
  } finally {
    await server.stop();
    await baseline.stop();
    await database.drop();
  }
}
