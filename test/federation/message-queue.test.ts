import { spawn } from "node:child_process";
import { getEventListeners } from "node:events";
import { testMessageQueue } from "@fedify/testing";
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connect.ts";
import {
  claimStatement,
  KyselyMessageQueue,
} from "../../src/federation/stores/kysely-message-queue.ts";
import { createSecretBox } from "../../src/lib/secret-box.ts";
import { toDuration } from "../../src/lib/temporal.ts";
import { createTestDb, databaseUrl } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { queryPlan } from "../harness/plans.ts";

const SECRET = "queue-test-secret-0123456789abcdef0123";
const box = createSecretBox(SECRET, "fedify-queue");

/** Resolves once `predicate` holds, checking every 20 ms; fails after `ms`. */
async function until(predicate: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function queueRows(db: Db) {
  return db.db.selectFrom("fedify_queue").selectAll().execute();
}

describe.each(DIALECTS)("%s: KyselyMessageQueue", (dialect) => {
  it("passes Fedify's MessageQueue contract, ordering keys included", {
    timeout: 90_000,
  }, async () => {
    await using db = await createTestDb(dialect);
    const opened: Db[] = [];
    await testMessageQueue(
      async () => {
        const own = await db.place.open();
        opened.push(own);
        return new KyselyMessageQueue(own.db, own.dialect, {
          pollIntervalMs: 100,
          box,
          workers: 4,
        });
      },
      async ({ controller }) => {
        controller.abort();
        for (const own of opened) await own.close();
      },
      { testOrderingKey: true },
    );
    expect(await queueRows(db)).toEqual([]);
  });

  it("delivers again a message whose handler's process was killed", {
    timeout: 30_000,
  }, async () => {
    await using db = await createTestDb(dialect);
    const queue = new KyselyMessageQueue(db.db, db.dialect, { pollIntervalMs: 50, box });
    await queue.enqueue({ activity: "Create", n: 1 });

    const child = spawn(
      process.execPath,
      [new URL("../harness/queue-worker-process.ts", import.meta.url).pathname],
      {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl(db.place.config),
          VISIBILITY_TIMEOUT_MS: "1500",
          SECRET_KEY: SECRET,
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await until(() => output.includes("handling"));
    expect(output).toContain('handling {"activity":"Create","n":1}');
    child.kill("SIGKILL");
    await exited;

    // Still queued, leased by the dead worker.
    const [row] = await queueRows(db);
    expect(row?.attempts).toBe(1);
    expect(row?.locked_until).not.toBeNull();

    const received: unknown[] = [];
    const controller = new AbortController();
    const listening = queue.listen(
      (message) => {
        received.push(message);
      },
      { signal: controller.signal },
    );
    await until(async () => received.length === 1 && (await queueRows(db)).length === 0);
    controller.abort();
    await listening;
    expect(received).toEqual([{ activity: "Create", n: 1 }]);
  });

  it("two consumers on separate connections never both get one message", {
    timeout: 60_000,
  }, async () => {
    await using db = await createTestDb(dialect);
    await using second = await db.place.open();
    const consumers = [
      new KyselyMessageQueue(db.db, db.dialect, { pollIntervalMs: 20, workers: 4 }),
      new KyselyMessageQueue(second.db, second.dialect, { pollIntervalMs: 20, workers: 4 }),
    ];
    const total = 300;
    await consumers[0]?.enqueueMany(Array.from({ length: total }, (_, i) => i));
    const deliveries = new Map<number, number[]>();
    const controller = new AbortController();
    const listening = consumers.map((queue, consumer) =>
      queue.listen(
        async (message) => {
          deliveries.set(message as number, [
            ...(deliveries.get(message as number) ?? []),
            consumer,
          ]);
          await new Promise((resolve) => setTimeout(resolve, 2));
        },
        { signal: controller.signal },
      ),
    );
    await until(
      async () => deliveries.size === total && (await queueRows(db)).length === 0,
      50_000,
    );
    controller.abort();
    await Promise.all(listening);
    const duplicated = [...deliveries].filter(([, by]) => by.length > 1);
    expect(duplicated).toEqual([]);
    const byConsumer = [0, 1].map(
      (c) => [...deliveries.values()].filter(([by]) => by === c).length,
    );
    expect(byConsumer[0]! + byConsumer[1]!).toBe(total);
    expect(Math.min(...byConsumer)).toBeGreaterThan(0);
  });

  it("runs up to `workers` handlers at once and finishes them when stopped", async () => {
    await using db = await createTestDb(dialect);
    const queue = new KyselyMessageQueue(db.db, db.dialect, { pollIntervalMs: 20, workers: 3 });
    await queue.enqueueMany([1, 2, 3, 4, 5]);
    let active = 0;
    let peak = 0;
    let finished = 0;
    const release: (() => void)[] = [];
    const controller = new AbortController();
    const listening = queue.listen(
      async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => release.push(resolve));
        active--;
        finished++;
      },
      { signal: controller.signal },
    );
    await until(() => active === 3);
    controller.abort();
    for (const r of release.splice(0)) r();
    await listening;
    expect(peak).toBe(3);
    expect(finished).toBe(3);
    // The two never started stay queued for the next start.
    expect(await queueRows(db)).toHaveLength(2);
  });

  it("retries a throwing handler with backoff, then keeps the message as dead with its reason", async () => {
    await using db = await createTestDb(dialect);
    const queue = new KyselyMessageQueue(db.db, db.dialect, { pollIntervalMs: 20, maxAttempts: 2 });
    await queue.enqueue("poison");
    let calls = 0;
    const controller = new AbortController();
    const listening = queue.listen(
      () => {
        calls++;
        throw new Error("handler broke");
      },
      { signal: controller.signal },
    );
    // The failure is recorded after the handler threw: wait for the row to say so.
    await until(async () => (await queueRows(db))[0]?.last_error != null);
    expect(calls).toBe(1);
    const [afterFirst] = await queueRows(db);
    expect(afterFirst?.last_error).toBe("handler broke");
    expect(afterFirst?.dead_at).toBeNull();
    expect(afterFirst!.available_at > new Date().toISOString()).toBe(true);
    // Make the retry due now rather than waiting out the backoff.
    await db.db
      .updateTable("fedify_queue")
      .set({ available_at: new Date(0).toISOString() })
      .execute();
    await until(async () => (await queueRows(db))[0]?.dead_at != null);
    controller.abort();
    await listening;
    expect(calls).toBe(2);
    expect((await queue.getDepth()).queued).toBe(0);
  });

  it("holds delayed messages back, reports depth, and stores payloads sealed", async () => {
    await using db = await createTestDb(dialect);
    const queue = new KyselyMessageQueue(db.db, db.dialect, { box });
    await queue.enqueue({ privateKey: { d: "very-secret-jwk-part" } });
    await queue.enqueue("later", { delay: toDuration({ minutes: 5 }) });
    expect(await queue.getDepth()).toEqual({ queued: 2, ready: 1, delayed: 1 });
    const rows = await queueRows(db);
    expect(rows.map((r) => r.payload).join(" ")).not.toContain("very-secret-jwk-part");
    expect(box.open(rows.find((r) => r.available_at <= new Date().toISOString())!.payload)).toBe(
      '{"privateKey":{"d":"very-secret-jwk-part"}}',
    );
  });

  it("keeps at most `workersPerHost` deliveries to one host in flight, while others go on", async () => {
    await using db = await createTestDb(dialect);
    const queue = new KyselyMessageQueue(db.db, db.dialect, {
      pollIntervalMs: 20,
      workers: 6,
      workersPerHost: 2,
    });
    const to = (host: string, n: number) => ({ type: "outbox", inbox: `https://${host}/inbox`, n });
    await queue.enqueueMany([1, 2, 3, 4, 5].map((n) => to("slow.example", n)));
    await queue.enqueueMany([6, 7, 8].map((n) => to("fast.example", n)));
    const slowInFlight = new Set<number>();
    let slowPeak = 0;
    const fastDone: number[] = [];
    const release: (() => void)[] = [];
    const controller = new AbortController();
    const listening = queue.listen(
      async (message) => {
        const { inbox, n } = message as { inbox: string; n: number };
        if (inbox.includes("fast")) {
          fastDone.push(n);
          return;
        }
        slowInFlight.add(n);
        slowPeak = Math.max(slowPeak, slowInFlight.size);
        await new Promise<void>((resolve) => release.push(resolve));
        slowInFlight.delete(n);
      },
      { signal: controller.signal },
    );
    await until(() => fastDone.length === 3 && slowInFlight.size === 2);
    expect(slowPeak).toBe(2);
    const rows = await queueRows(db);
    expect(rows.filter((r) => r.target_host === "slow.example")).toHaveLength(5);
    // As slow deliveries finish, the next ones start, never more than two at once.
    while ((await queueRows(db)).length > 0) {
      for (const r of release.splice(0)) r();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort();
    await listening;
    expect(slowPeak).toBe(2);
  });

  it("retries on the schedule until the horizon, then keeps the message dead with its reason", async () => {
    await using db = await createTestDb(dialect);
    const queue = new KyselyMessageQueue(db.db, db.dialect, {
      pollIntervalMs: 10,
      retry: { initialDelayMs: 20, maxDelayMs: 40, horizonMs: 300, jitter: 0 },
    });
    await queue.enqueue({ type: "outbox", inbox: "https://down.example/inbox" });
    const attemptsAt: number[] = [];
    const controller = new AbortController();
    const listening = queue.listen(
      () => {
        attemptsAt.push(Date.now());
        throw new Error("connect ECONNREFUSED down.example");
      },
      { signal: controller.signal },
    );
    await until(async () => (await queueRows(db))[0]?.dead_at != null);
    controller.abort();
    await listening;
    const [row] = await queueRows(db);
    expect(row?.last_error).toBe("connect ECONNREFUSED down.example");
    // 20, 40, 40, 40, … ms apart, none due past 300 ms: at most 1 + 20/20 + 280/40 attempts
    // (a loaded machine runs them late, and so fewer, never more).
    expect(attemptsAt.length).toBeGreaterThanOrEqual(2);
    expect(attemptsAt.length).toBeLessThanOrEqual(9);
    expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(18);
    expect((await queue.getDepth()).queued).toBe(0);
  });

  it("sets a message aside as dead when its handler says so, and only inside a handler", async () => {
    await using db = await createTestDb(dialect);
    const queue = new KyselyMessageQueue(db.db, db.dialect, { pollIntervalMs: 20 });
    expect(queue.setAsideCurrent("not handling anything")).toBe(false);
    await queue.enqueueMany(["gone", "fine"]);
    const handled: unknown[] = [];
    const controller = new AbortController();
    const listening = queue.listen(
      (message) => {
        handled.push(message);
        if (message === "gone") queue.setAsideCurrent("HTTP 410 from the inbox");
      },
      { signal: controller.signal },
    );
    await until(async () => handled.length === 2 && (await queueRows(db)).length === 1);
    controller.abort();
    await listening;
    const rows = await queueRows(db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ last_error: "HTTP 410 from the inbox", locked_until: null });
    expect(rows[0]?.dead_at).not.toBeNull();
    expect(handled).toEqual(["gone", "fine"]);
  });

  it("writes enqueues made together in one statement, each settling once committed", async () => {
    await using db = await createTestDb(dialect);
    const inserts: string[] = [];
    const queue = new KyselyMessageQueue(db.db.withPlugin(recordInserts(inserts)), db.dialect);
    // Fedify enqueues a fan-out's deliveries one call each, all at once.
    const outbox = (n: number) => ({ type: "outbox", inbox: `https://h${n % 3}.example/inbox` });
    await Promise.all(
      Array.from({ length: 1200 }, (_, n) => queue.enqueue(outbox(n), { orderingKey: `k${n}` })),
    );
    expect(inserts).toHaveLength(3); // 500 rows a statement
    const rows = await queueRows(db);
    expect(rows).toHaveLength(1200);
    expect(new Set(rows.map((r) => r.target_host))).toEqual(
      new Set(["h0.example", "h1.example", "h2.example"]),
    );
    expect(rows.filter((r) => r.ordering_key === "k7")).toHaveLength(1);
  });

  it("claims several messages in one statement, within each host's room and one per ordering key", async () => {
    await using db = await createTestDb(dialect);
    const queue = new KyselyMessageQueue(db.db, db.dialect);
    const to = (host: string, n: number) => ({ type: "outbox", inbox: `https://${host}/inbox`, n });
    // Interleaved: a.example, b.example, a.example, … and two messages sharing an ordering key.
    await queue.enqueueMany(
      Array.from({ length: 10 }, (_, n) => to(n % 2 ? "b.example" : "a.example", n)),
    );
    await queue.enqueue({ n: "first" }, { orderingKey: "same" });
    await queue.enqueue({ n: "second" }, { orderingKey: "same" });
    const claim = async (limit: number) => {
      const now = new Date(Date.now() + 1000);
      const lease = new Date(now.getTime() + 60_000);
      const { rows } = await claimStatement(db.dialect, now, lease, 3, limit).execute(db.db);
      return rows.map((r) => JSON.parse(r.payload) as { n: unknown });
    };
    // The 8 oldest are 4 to each host: 3 each fit.
    const first = await claim(8);
    expect(first.map((m) => m.n).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    // Both hosts are full now; of the two with one ordering key, only the older.
    expect((await claim(8)).map((m) => m.n)).toEqual(["first"]);
    expect(await claim(8)).toEqual([]);
  });

  it("claims the oldest message through the claim-order index, without sorting or counting the backlog", async () => {
    await using db = await createTestDb(dialect);
    const now = new Date();
    const claim = claimStatement(db.dialect, now, new Date(now.getTime() + 60_000), 4);
    const text = await queryPlan(db, claim.compile(db.db));
    expect(text).toContain("fedify_queue_available_at_id_idx");
    // The hosts at their cap come from the few leased rows, not from a walk of the backlog.
    expect(text).toContain("fedify_queue_in_flight_idx");
    if (dialect === "sqlite") expect(text).not.toContain("TEMP B-TREE");
    else expect(text).not.toMatch(/\bSort\b/);
  });

  it("adds no listener to the stop signal per message while its workers are busy", async () => {
    await using db = await createTestDb(dialect);
    const queue = new KyselyMessageQueue(db.db, db.dialect, { pollIntervalMs: 20, workers: 1 });
    await queue.enqueueMany(Array.from({ length: 30 }, (_, n) => n));
    const controller = new AbortController();
    let handled = 0;
    let most = 0;
    const listening = queue.listen(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        most = Math.max(most, getEventListeners(controller.signal, "abort").length);
        handled++;
      },
      { signal: controller.signal },
    );
    await until(() => handled === 30);
    controller.abort();
    await listening;
    expect(most).toBeLessThanOrEqual(3);
  });

  it("stops at once when the stop comes while it is looking for a message", async () => {
    await using db = await createTestDb(dialect);
    const controller = new AbortController();
    // The clock is read as a claim begins: stopping there lands the stop inside the claim.
    const stopDuringClaim = {
      now: () => {
        controller.abort();
        return new Date();
      },
    };
    const queue = new KyselyMessageQueue(db.db, db.dialect, {
      pollIntervalMs: 60_000,
      clock: stopDuringClaim,
    });
    const started = Date.now();
    await queue.listen(() => {}, { signal: controller.signal });
    expect(controller.signal.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000); // not the 60 s poll
  });
});

/** Records the SQL of every insert a queue makes (a Kysely plugin that changes nothing). */
function recordInserts(into: string[]) {
  return {
    transformQuery: (args: { node: { kind: string } }) => {
      if (args.node.kind === "InsertQueryNode") into.push(args.node.kind);
      return args.node as never;
    },
    transformResult: async (args: { result: unknown }) => args.result as never,
  };
}
