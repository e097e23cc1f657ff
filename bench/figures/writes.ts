import { type BenchContext, reserveOrigin, startInstance } from "../lib/context.ts";
import { createBenchDatabase } from "../lib/databases.ts";
import { runLoadProcess, runScript } from "../lib/processes.ts";
import type { FigureRow } from "../lib/report.ts";
import type { LoadRequest, LoadResult } from "../load.ts";
import type { RawInsertSpec } from "../raw-inserts.ts";
import { openMigrated, seedAgents, seedPosts, seedSubmolts } from "../seed.ts";

// Writes through the client API (posts, comments, votes), each next to the same rows inserted
// straight through the same driver, one per transaction, for as long.

const CONNECTIONS = 32;
const AGENTS = 200;
const TARGET_POSTS = 10_000;

type Kind = "post" | "comment" | "vote";

function requestsFor(
  kind: Kind,
  keys: readonly string[],
  postIds: readonly string[],
  count: number,
) {
  const requests: LoadRequest[] = [];
  for (let i = 0; i < count; i++) {
    const key = keys[i % keys.length];
    const headers = { Authorization: `Bearer ${key}`, "Content-Type": "application/json" };
    if (kind === "post") {
      const body = JSON.stringify({
        submolt: "general",
        title: `Load post ${i}`,
        content: "Written through the API by the benchmark.",
      });
      requests.push({ method: "POST", path: "/api/v1/posts", headers, body });
    } else if (kind === "comment") {
      const body = JSON.stringify({ content: `Load comment ${i}` });
      const post = postIds[i % postIds.length];
      requests.push({ method: "POST", path: `/api/v1/posts/${post}/comments`, headers, body });
    } else {
      // Each (voter, post) pair once: a second upvote would take the first back.
      const post = postIds[Math.floor(i / keys.length) % postIds.length];
      requests.push({ method: "POST", path: `/api/v1/posts/${post}/upvote`, headers });
    }
  }
  return requests;
}

export async function writeFigures(ctx: BenchContext): Promise<FigureRow[]> {
  const durationMs = ctx.quick ? 3000 : 10_000;
  const { port, origin } = await reserveOrigin();
  const database = await createBenchDatabase("writes", ctx.workDir, ctx.postgresUrl);
  const db = await openMigrated(database.url);
  // The posts to comment on and vote for belong to an agent that does not vote.
  const [author, ...voters] = await seedAgents(db.db, origin, AGENTS + 1);
  const submoltIds = await seedSubmolts(db.db, origin, 5);
  await seedPosts(db.db, origin, {
    count: TARGET_POSTS,
    authorIds: [author?.id ?? ""],
    submoltIds,
  });
  const postIds = (await db.db.selectFrom("posts").select("id").execute()).map((r) => r.id);
  await db.close();

  const keys = voters.map((v) => v.apiKey);
  const api: Record<Kind, LoadResult> = {} as Record<Kind, LoadResult>;
  const server = await startInstance(ctx, "writes", port, database);
  try {
    for (const kind of ["post", "comment", "vote"] as const) {
      ctx.log(`writes: ${kind}s through the API`);
      // Enough distinct requests for the duration at several times the rate expected.
      const count = (durationMs / 1000) * (ctx.quick ? 4000 : 3000);
      const result = await runLoadProcess(
        {
          port,
          connections: CONNECTIONS,
          durationMs,
          warmupMs: 0,
          requests: requestsFor(kind, keys, postIds, count),
          cycle: false,
        },
        ctx.workDir,
      );
      const ok = (result.statuses["200"] ?? 0) + (result.statuses["201"] ?? 0);
      if (ok !== result.count || result.errors > 0) {
        throw new Error(`${kind}s: ${JSON.stringify(result.statuses)}, ${result.errors} errors`);
      }
      api[kind] = result;
    }
  } finally {
    await server.stop();
  }

  const rows: FigureRow[] = [];
  for (const kind of ["post", "comment", "vote"] as const) {
    ctx.log(`writes: raw ${kind} inserts`);
    const raw = await runScript<{ perSecond: number }>(
      "bench/raw-inserts.ts",
      {
        databaseUrl: database.url,
        kind,
        durationMs,
        origin: origin.origin,
        agentIds: voters.map((v) => v.id),
        submoltId: submoltIds[0] ?? "",
        // The API's votes took the first pairs; the baseline's start after them.
        postIds: kind === "vote" ? postIds.slice(Math.ceil(postIds.length / 2)) : postIds,
        concurrency: CONNECTIONS,
      } satisfies RawInsertSpec,
      ctx.workDir,
    );
    const value = api[kind].perSecond;
    rows.push({
      figure: `API writes/s: ${kind}s`,
      value,
      unit: "/s",
      baseline: raw.perSecond,
      baselineLabel: `raw ${kind} inserts`,
      target: "≥ 30 %",
      met: value >= 0.3 * raw.perSecond,
    });
    rows.push({
      figure: "  p99 latency",
      value: api[kind].p99Ms,
      unit: "ms",
      baselineLabel: "—",
    });
  }
  await database.drop();
  return rows;
}
