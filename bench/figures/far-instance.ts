import { type BenchContext, reserveOrigin, startInstance } from "../lib/context.ts";
import { createBenchDatabase } from "../lib/databases.ts";
import { type Helper, startHelper } from "../lib/processes.ts";
import type { FigureRow } from "../lib/report.ts";
import { waitFor } from "../lib/wait.ts";
import { openMigrated, seedAgents, seedSubmolts } from "../seed.ts";
import { delivered, seedRemoteFollowers } from "./fanout.ts";

// A far instance: 200 posts by an agent whose one follower lives on an instance that answers
// every delivery after 500 ms (a loopback receiver that verifies the signature, then waits),
// timed from the first POST to the last verified delivery. Each post is its own activity, so
// nothing orders one delivery after another: how many are in flight to one host
// (QUEUE_WORKERS_PER_HOST) is what decides. Sending one at a time per instance, as Lemmy does,
// reaches 1000 / 500 = 2 activities a second.

const ACTIVITIES = 200;
const DELAY_MS = 500;
const POSTS_IN_FLIGHT = 8;

export async function farInstanceFigures(ctx: BenchContext): Promise<FigureRow[]> {
  const { helper: receiver, ready } = await startHelper("bench/receiver.ts", [
    "1",
    String(DELAY_MS),
  ]);
  const { port, origin } = await reserveOrigin();
  const database = await createBenchDatabase("far", ctx.workDir, ctx.postgresUrl);
  const db = await openMigrated(database.url);
  const [author] = await seedAgents(db.db, origin, 1);
  await seedSubmolts(db.db, origin, 1);
  await seedRemoteFollowers(db, author?.id ?? "", ready.ports as number[], 1);
  await db.close();
  const server = await startInstance(ctx, "far", port, database);
  try {
    const post = async (title: string) => {
      const response = await fetch(`${server.url}/api/v1/posts`, {
        method: "POST",
        headers: { Authorization: `Bearer ${author?.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ submolt: "general", title, content: "To a far instance." }),
      });
      if (response.status !== 201) throw new Error(`post: ${response.status}`);
    };
    ctx.log("far: warm-up post (keys made, the receiver fetches them)");
    await timeDeliveries(receiver, 1, () => post("Warm-up"));
    ctx.log(`far: ${ACTIVITIES} posts to one instance ${DELAY_MS} ms away`);
    const ms = await timeDeliveries(receiver, ACTIVITIES, async () => {
      let next = 0;
      const poster = async () => {
        while (next < ACTIVITIES) await post(`Far ${next++}`);
      };
      await Promise.all(Array.from({ length: POSTS_IN_FLIGHT }, poster));
    });
    const perSecond = (ACTIVITIES / ms) * 1000;
    const oneAtATime = 1000 / DELAY_MS;
    return [
      {
        figure: `Far instance: ${ACTIVITIES} activities to 1 instance answering after ${DELAY_MS} ms`,
        value: perSecond,
        unit: "/s",
        baseline: oneAtATime,
        baselineLabel: "one at a time per instance",
        target: "≥ 20 /s",
        met: perSecond >= 20,
      },
    ];
  } finally {
    await server.stop();
    await receiver.stop();
    await database.drop();
  }
}

/** Milliseconds from the start of `send` until `count` deliveries were verified. */
async function timeDeliveries(receiver: Helper, count: number, send: () => Promise<void>) {
  await receiver.request({ op: "reset" });
  const startedAt = Date.now();
  await send();
  await waitFor("every delivery", async () => (await delivered([receiver])).verified >= count);
  const result = await delivered([receiver]);
  if (result.rejected > 0) throw new Error(`far instance: ${result.rejected} deliveries rejected`);
  return result.lastAt - startedAt;
}
