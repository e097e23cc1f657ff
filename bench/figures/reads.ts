import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BenchContext, reserveOrigin, startInstance } from "../lib/context.ts";
import { createBenchDatabase } from "../lib/databases.ts";
import { freePort, runLoadProcess, type ServerProcess, startServer } from "../lib/processes.ts";
import { recordAnswer } from "../lib/recorded.ts";
import type { FigureRow } from "../lib/report.ts";
import type { LoadRequest, LoadResult } from "../load.ts";
import { openMigrated, seedFeedDataSet } from "../seed.ts";

// Client API reads against a real server process, from a load generator in another process,
// each next to the same answer (status, headers, bytes) served from memory on the same stack
// (bench/baseline-server.ts), measured right after it; and the server's resident memory, idle
// and under this load, next to the baseline server's.

const CONNECTIONS = 32;
const AGENTS_CYCLED = 100;

interface Measured {
  readonly load: LoadResult;
  readonly peakRssMiB: number;
  /** The server's CPU time per answer: what a request costs it, whatever else the machine does. */
  readonly cpuMsPerRequest: number;
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
  const cpuBefore = server.cpuMs();
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
    const cpuMsPerRequest = (server.cpuMs() - cpuBefore) / Math.max(1, load.answered);
    return { load, peakRssMiB: peak, cpuMsPerRequest };
  } finally {
    clearInterval(sampler);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));

interface ReadRoute {
  readonly label: string;
  readonly requests: LoadRequest[];
}

export async function readFigures(ctx: BenchContext): Promise<FigureRow[]> {
  const posts = ctx.quick ? 10_000 : 100_000;
  const { port, origin } = await reserveOrigin();
  const database = await createBenchDatabase("reads", ctx.workDir, ctx.postgresUrl);
  ctx.log(`reads: seeding ${posts} posts`);
  const db = await openMigrated(database.url);
  const set = await seedFeedDataSet(db.db, { origin, posts });
  await db.close();

  const authed = (path: string, headers: Record<string, string> = {}): LoadRequest[] =>
    set.agents.slice(0, AGENTS_CYCLED).map((agent) => ({
      method: "GET",
      path,
      headers: { Authorization: `Bearer ${agent.apiKey}`, ...headers },
    }));
  // What Node's fetch (and most HTTP clients) send unasked.
  const compressed = { "Accept-Encoding": "gzip, deflate, br" };
  const routes: ReadRoute[] = [
    { label: "GET /posts?sort=hot", requests: authed("/api/v1/posts?sort=hot") },
    { label: "GET /feed", requests: authed("/api/v1/feed") },
    {
      label: "GET /posts/ID (100 comments)",
      requests: authed(`/api/v1/posts/${set.threadPostId}`),
    },
    {
      label: "GET /posts/ID/comments (100 comments)",
      requests: authed(`/api/v1/posts/${set.threadPostId}/comments?limit=100`),
    },
    {
      label: "GET /posts?sort=hot, gzip/br accepted",
      requests: authed("/api/v1/posts?sort=hot", compressed),
    },
    {
      label: "GET /posts/ID/comments, gzip/br accepted",
      requests: authed(`/api/v1/posts/${set.threadPostId}/comments?limit=100`, compressed),
    },
  ];

  const server = await startInstance(ctx, "reads", port, database);
  let baseline: ServerProcess | undefined;
  try {
    // What the baseline serves back: each route's answer as the instance gives it (the first
    // agent's; every agent's answer to these routes has the same size).
    const answers = await Promise.all(
      routes.map((route) => recordAnswer(port, route.requests[0] as LoadRequest)),
    );
    const sameBytes = join(ctx.workDir, "same-bytes.json");
    writeFileSync(sameBytes, JSON.stringify(answers));
    const baselinePort = await freePort();
    baseline = await startServer({
      script: "bench/baseline-server.ts",
      port: baselinePort,
      env: { PORT: String(baselinePort), SAME_BYTES: sameBytes },
      logFile: join(ctx.workDir, "baseline-server.log"),
    });
    await settle();
    const idle = { server: server.rssMiB(), baseline: baseline.rssMiB() };
    ctx.log("reads: constant-JSON baseline");
    const constant = await measure(ctx, baseline, [{ method: "GET", path: "/json" }]);
    const rows: FigureRow[] = [];
    let peak = 0;
    for (const [i, route] of routes.entries()) {
      ctx.log(`reads: ${route.label}, then its bytes from memory`);
      const result = await measure(ctx, server, route.requests);
      const same = await measure(ctx, baseline, route.requests);
      peak = Math.max(peak, result.peakRssMiB);
      const bytes = Buffer.from(answers[i]?.body ?? "", "base64").byteLength;
      const label = `same ${formatBytes(bytes)} from memory`;
      rows.push(
        {
          figure: `API reads/s ${route.label}`,
          value: result.load.perSecond,
          unit: "/s",
          baseline: same.load.perSecond,
          baselineLabel: label,
          target: "≥ 40 %",
          met: result.load.perSecond >= 0.4 * same.load.perSecond,
        },
        {
          figure: "  p50 latency",
          value: result.load.p50Ms,
          unit: "ms",
          baseline: same.load.p50Ms,
          baselineLabel: "same bytes p50",
        },
        {
          figure: "  p99 latency",
          value: result.load.p99Ms,
          unit: "ms",
          baseline: same.load.p99Ms,
          baselineLabel: "same bytes p99",
        },
        {
          figure: "  server CPU per request",
          value: result.cpuMsPerRequest,
          unit: "ms",
          baseline: same.cpuMsPerRequest,
          baselineLabel: "same bytes",
        },
      );
    }
    rows.push(
      {
        figure: "Constant JSON route (same stack, 48 bytes)",
        value: constant.load.perSecond,
        unit: "/s",
        baselineLabel: "—",
      },
      {
        figure: "Memory (RSS) idle",
        value: idle.server,
        unit: "MiB",
        baseline: idle.baseline,
        baselineLabel: "baseline server",
        target: "< 150 MB",
        met: idle.server * 1.048576 < 150,
      },
      {
        figure: "Memory (RSS) peak under read load",
        value: peak,
        unit: "MiB",
        baseline: constant.peakRssMiB,
        baselineLabel: "baseline server, constant JSON",
      },
    );
    return rows;
  } finally {
    await server.stop();
    await baseline?.stop();
    await database.drop();
  }
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}
