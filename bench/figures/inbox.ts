import { sql } from "kysely";
import { type BenchContext, reserveOrigin, startInstance } from "../lib/context.ts";
import { createBenchDatabase } from "../lib/databases.ts";
import { startHelper } from "../lib/processes.ts";
import type { FigureRow } from "../lib/report.ts";
import { waitFor } from "../lib/wait.ts";
import { openMigrated, seedAgents, seedPosts, seedSubmolts } from "../seed.ts";

// Inbox intake: signed Like activities from a remote server in another process, POSTed to the
// instance's shared inbox, until every one is verified, queued and applied (a vote row); next to
// the same requests verified by Fedify's verifyRequest alone in a loopback receiver.

const CONNECTIONS = 32;

interface SendResult {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly statuses: Record<string, number>;
}

export async function inboxFigures(ctx: BenchContext): Promise<FigureRow[]> {
  const count = ctx.quick ? 1000 : 3000;
  const { port, origin } = await reserveOrigin();
  const database = await createBenchDatabase("inbox", ctx.workDir, ctx.postgresUrl);
  const db = await openMigrated(database.url);
  const [author] = await seedAgents(db.db, origin, 1);
  const submoltIds = await seedSubmolts(db.db, origin, 1);
  await seedPosts(db.db, origin, { count: count + 1, authorIds: [author?.id ?? ""], submoltIds });
  const posts = (await db.db.selectFrom("posts").select("ap_id").orderBy("id").execute()).map(
    (r) => r.ap_id,
  );
  const votes = async () =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from votes`.execute(db.db)).rows[0]?.n ?? 0,
    );

  const { helper: signer, ready } = await startHelper("bench/signer.ts");
  const { helper: receiver, ready: receiverReady } = await startHelper("bench/receiver.ts", ["1"]);
  const server = await startInstance(ctx, "inbox", port, database);
  try {
    const base = String(ready.base);
    const likes = (inbox: string, from: number, to: number) =>
      posts.slice(from, to).map((object, i) => ({
        url: inbox,
        actor: "fan",
        body: JSON.stringify({
          "@context": "https://www.w3.org/ns/activitystreams",
          id: `${base}/users/fan/likes/${inbox.length}-${from + i}`,
          type: "Like",
          actor: `${base}/users/fan`,
          object,
        }),
      }));
    const send = (requests: unknown[]) =>
      signer.request<SendResult>({ op: "send", requests, concurrency: CONNECTIONS, presign: true });

    // Warm-up: the instance fetches and stores the remote actor and its key once.
    const inbox = `${server.url}/inbox`;
    await send(likes(inbox, count, count + 1));
    await waitFor("the warm-up Like", async () => (await votes()) === 1);
    ctx.log(`inbox: ${count} signed Likes to the instance`);
    const sent = await send(likes(inbox, 0, count));
    await waitFor("every Like applied", async () => (await votes()) === count + 1);
    const appliedSeconds = (Date.now() - sent.startedAt) / 1000;
    const answeredSeconds = (sent.endedAt - sent.startedAt) / 1000;
    if (sent.statuses["202"] !== count) throw new Error(`inbox: ${JSON.stringify(sent.statuses)}`);

    ctx.log("inbox: the same requests, verification alone");
    const receiverInbox = `http://127.0.0.1:${(receiverReady.ports as number[])[0]}/inbox`;
    await send(likes(receiverInbox, count, count + 1));
    await receiver.request({ op: "reset" });
    const verifiedOnly = await send(likes(receiverInbox, 0, count));
    const stats = await receiver.request<{ verified: number; lastAt: number }>({ op: "stats" });
    if (stats.verified !== count) throw new Error(`receiver verified ${stats.verified}`);
    const verifySeconds = (stats.lastAt - verifiedOnly.startedAt) / 1000;
    return [
      {
        figure: "Inbox: activities verified + applied/s",
        value: count / appliedSeconds,
        unit: "/s",
        baseline: count / verifySeconds,
        baselineLabel: "verifyRequest alone",
      },
      {
        figure: "  answered 202/s (verified, queued)",
        value: count / answeredSeconds,
        unit: "/s",
        baseline: count / verifySeconds,
        baselineLabel: "verifyRequest alone",
      },
    ];
  } finally {
    await db.close();
    await server.stop();
    await signer.stop();
    await receiver.stop();
    await database.drop();
  }
}
