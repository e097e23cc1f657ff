import { describe, expect, it } from "vitest";
import { forgetCircuitHold } from "../../src/federation/delivery.ts";
import { KyselyMessageQueue } from "../../src/federation/stores/kysely-message-queue.ts";
import { createQueueAdmin, type QueueAdmin } from "../../src/federation/stores/queue-admin.ts";
import { systemClock } from "../../src/lib/clock.ts";
import { createSecretBox } from "../../src/lib/secret-box.ts";
import { toDuration } from "../../src/lib/temporal.ts";
import { createTestDb } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";

const box = createSecretBox("queue-admin-secret-0123456789abcdef0123", "fedify-queue");

/** A Fedify-shaped outbox message to `host`, carrying a private key as real ones do. */
function delivery(host: string, n: number) {
  return {
    type: "outbox",
    inbox: `https://${host}/inbox`,
    activityId: `https://alpha.test/activities/${n}`,
    activityType: "https://www.w3.org/ns/activitystreams#Create",
    keys: [{ keyId: "https://alpha.test/ap/actors/reef#main-key", privateKey: { d: "SECRET-D" } }],
    circuitHeld: true,
    circuitHeldSince: "2026-01-01T00:00:00Z",
  };
}

/** Runs the queue until `count` messages were handled and settled, setting aside those `setAside` picks. */
async function handle(
  queue: KyselyMessageQueue,
  admin: QueueAdmin,
  count: number,
  setAside: (message: ReturnType<typeof delivery>) => string | undefined,
) {
  const handled: ReturnType<typeof delivery>[] = [];
  const controller = new AbortController();
  const listening = queue.listen(
    (message) => {
      const m = message as ReturnType<typeof delivery>;
      handled.push(m);
      const reason = setAside(m);
      if (reason !== undefined) queue.setAsideCurrent(reason);
    },
    { signal: controller.signal },
  );
  const deadline = Date.now() + 10_000;
  while (handled.length < count || (await admin.status()).inFlight > 0) {
    if (Date.now() > deadline) throw new Error(`Handled ${handled.length} of ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  controller.abort();
  await listening;
  return handled;
}

describe.each(DIALECTS)("%s: the delivery queue for operators", (dialect) => {
  it("reports depth per host, lists dead letters without keys, retries and drops them", {
    timeout: 20_000,
  }, async () => {
    await using db = await createTestDb(dialect);
    const queue = new KyselyMessageQueue(db.db, db.dialect, { pollIntervalMs: 10, box });
    const admin = createQueueAdmin({
      db: db.db,
      box,
      clock: systemClock,
      prepareRetry: forgetCircuitHold,
    });
    await queue.enqueueMany([1, 2, 3].map((n) => delivery("gone.example", n)));
    await queue.enqueue(delivery("up.example", 4));
    await queue.enqueue(delivery("later.example", 5), { delay: toDuration({ hours: 1 }) });
    expect(await admin.status()).toMatchObject({ ready: 4, delayed: 1, inFlight: 0, dead: 0 });

    await handle(queue, admin, 4, (m) =>
      m.inbox.includes("gone") ? "HTTP 410 from the inbox" : undefined,
    );
    const status = await admin.status();
    expect(status).toMatchObject({ ready: 0, delayed: 1, inFlight: 0, dead: 3 });
    expect(status.hosts).toEqual(
      expect.arrayContaining([
        { host: "gone.example", queued: 0, inFlight: 0, dead: 3 },
        { host: "later.example", queued: 1, inFlight: 0, dead: 0 },
      ]),
    );

    const dead = await admin.listDeadLetters();
    expect(dead).toHaveLength(3);
    expect(dead[0]).toMatchObject({
      host: "gone.example",
      kind: "outbox",
      reason: "HTTP 410 from the inbox",
      inbox: "https://gone.example/inbox",
      activityType: "https://www.w3.org/ns/activitystreams#Create",
    });
    expect(dead.map((d) => d.activityId).sort()).toEqual(
      [1, 2, 3].map((n) => `https://alpha.test/activities/${n}`),
    );
    expect(JSON.stringify(dead)).not.toContain("SECRET-D");

    // Retry one: it is delivered again, with the circuit hold forgotten; drop the rest.
    const [first, ...rest] = dead;
    expect(await admin.retryDeadLetters([first!.id])).toBe(1);
    const retried = await handle(queue, admin, 1, () => undefined);
    expect(retried[0]?.activityId).toBe(first?.activityId);
    expect(retried[0]).not.toHaveProperty("circuitHeld");
    expect(retried[0]?.keys[0]?.privateKey.d).toBe("SECRET-D");
    expect(await admin.dropDeadLetters(rest.map((d) => d.id))).toBe(2);
    expect(await admin.status()).toMatchObject({ ready: 0, delayed: 1, dead: 0 });
    expect(await admin.dropDeadLetters("all")).toBe(0);
  });
});
