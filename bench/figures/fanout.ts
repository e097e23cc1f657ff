import { type BenchContext, reserveOrigin, startInstance } from "../lib/context.ts";
import { createBenchDatabase } from "../lib/databases.ts";
import { type Helper, startHelper } from "../lib/processes.ts";
import type { FigureRow } from "../lib/report.ts";
import { median, waitFor } from "../lib/wait.ts";
import { openMigrated, seedAgents, seedSubmolts } from "../seed.ts";

// Fan-out: one post by an agent with 1,000 followers spread over 50 receiving instances
// (loopback servers in two other processes that verify every signature), timed from the POST to
// the last verified delivery; next to signing and POSTing the same 1,000 requests with plain
// fetch at the queue's concurrency (QUEUE_WORKERS 32, QUEUE_WORKERS_PER_HOST 16), no queue.

const FOLLOWERS = 1000;
const INSTANCES = 50;
const RECEIVER_PROCESSES = 2;
const CONCURRENCY = 32;
const PER_HOST = 16;

/** What the receivers verified, all together, and when the last delivery came. */
export async function delivered(receivers: readonly Helper[]) {
  const stats = await Promise.all(
    receivers.map((r) =>
      r.request<{ verified: number; rejected: number; lastAt: number }>({ op: "stats" }),
    ),
  );
  return {
    verified: stats.reduce((n, s) => n + s.verified, 0),
    rejected: stats.reduce((n, s) => n + s.rejected, 0),
    lastAt: Math.max(...stats.map((s) => s.lastAt)),
  };
}

/** Milliseconds from `start()` until every follower's inbox verified a delivery. */
async function timeFanOut(receivers: readonly Helper[], start: () => Promise<number>) {
  await Promise.all(receivers.map((r) => r.request({ op: "reset" })));
  const startedAt = await start();
  await waitFor("every delivery", async () => (await delivered(receivers)).verified >= FOLLOWERS);
  const result = await delivered(receivers);
  if (result.rejected > 0) throw new Error(`fan-out: ${result.rejected} deliveries rejected`);
  return result.lastAt - startedAt;
}

export async function fanOutFigures(ctx: BenchContext): Promise<FigureRow[]> {
  const runs = ctx.quick ? 1 : 3;
  const receivers: Helper[] = [];
  const ports: number[] = [];
  for (let i = 0; i < RECEIVER_PROCESSES; i++) {
    const { helper, ready } = await startHelper("bench/receiver.ts", [
      String(INSTANCES / RECEIVER_PROCESSES),
    ]);
    receivers.push(helper);
    ports.push(...(ready.ports as number[]));
  }
  const { helper: signer } = await startHelper("bench/signer.ts");
  const { port, origin } = await reserveOrigin();
  const database = await createBenchDatabase("fanout", ctx.workDir, ctx.postgresUrl);
  const db = await openMigrated(database.url);
  const [author] = await seedAgents(db.db, origin, 1);
  await seedSubmolts(db.db, origin, 1);
  const inboxes = await seedRemoteFollowers(db, author?.id ?? "", ports, FOLLOWERS);
  await db.close();
  const server = await startInstance(ctx, "fanout", port, database);
  try {
    const post = async () => {
      const startedAt = Date.now();
      const response = await fetch(`${server.url}/api/v1/posts`, {
        method: "POST",
        headers: { Authorization: `Bearer ${author?.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          submolt: "general",
          title: "Fan-out",
          content: "To 1,000 followers.",
        }),
      });
      if (response.status !== 201) throw new Error(`post: ${response.status}`);
      return startedAt;
    };
    ctx.log("fanout: warm-up post (keys made, receivers fetch them)");
    await timeFanOut(receivers, post);
    const instanceMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      ctx.log(`fanout: post ${i + 1} of ${runs} to ${FOLLOWERS} followers`);
      instanceMs.push(await timeFanOut(receivers, post));
    }
    const body = JSON.stringify(createLike(origin));
    const requests = inboxes.map((url) => ({ url, body, actor: "author" }));
    const plain = async () => {
      const result = await signer.request<{ startedAt: number }>({
        op: "send",
        requests,
        concurrency: CONCURRENCY,
        perHost: PER_HOST,
        presign: false,
      });
      return result.startedAt;
    };
    ctx.log("fanout: plain signed fetch baseline");
    await timeFanOut(receivers, plain);
    const plainMs: number[] = [];
    for (let i = 0; i < runs; i++) plainMs.push(await timeFanOut(receivers, plain));
    const value = median(instanceMs);
    const baseline = median(plainMs);
    return [
      {
        figure: `Fan-out: 1 post → ${FOLLOWERS} followers on ${INSTANCES} instances`,
        value,
        unit: "ms",
        baseline,
        baselineLabel: "sign + fetch loop",
        target: "≤ 150 %",
        met: value <= 1.5 * baseline,
      },
    ];
  } finally {
    await server.stop();
    await signer.stop();
    for (const r of receivers) await r.stop();
    await database.drop();
  }
}

/** A body the size of the instance's Create(Page) with its proof. */
function createLike(origin: URL) {
  return {
    "@context": [
      "https://www.w3.org/ns/activitystreams",
      "https://w3id.org/security/data-integrity/v1",
    ],
    id: `${origin.origin}/post/bench/create`,
    type: "Create",
    actor: `${origin.origin}/ap/actors/author`,
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    object: { type: "Page", name: "Fan-out", content: "<p>To 1,000 followers.</p>".repeat(8) },
    proof: { type: "DataIntegrityProof", proofValue: "z".repeat(88) },
  };
}

/** `count` remote agents spread evenly over the receivers' ports, all following `authorId`. */
export async function seedRemoteFollowers(
  db: Awaited<ReturnType<typeof openMigrated>>,
  authorId: string,
  ports: readonly number[],
  count: number,
): Promise<string[]> {
  const now = new Date().toISOString();
  const agents = Array.from({ length: count }, (_, i) => {
    const host = `127.0.0.1:${ports[i % ports.length]}`;
    const apId = `http://${host}/users/f${i}`;
    return {
      id: `remote-${String(i).padStart(5, "0")}`,
      ap_id: apId,
      name: `f${i}`,
      handle: `f${i}@${host}`,
      host,
      is_local: 0 as const,
      inbox_url: `${apId}/inbox`,
      created_at: now,
      updated_at: now,
    };
  });
  await db.db.insertInto("agents").values(agents).execute();
  await db.db
    .insertInto("follows")
    .values(
      agents.map((a) => ({
        id: `follow-${a.id}`,
        ap_id: `${a.ap_id}/follows/author`,
        follower_id: a.id,
        followee_id: authorId,
        state: "accepted" as const,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  await db.db
    .updateTable("agents")
    .set({ follower_count: count })
    .where("id", "=", authorId)
    .execute();
  return agents.map((a) => a.inbox_url);
}
