import { describe, expect, it } from "vitest";
import type { WatchedTable } from "../../src/db/pg-notifications.ts";
import { KyselyMessageQueue } from "../../src/federation/stores/kysely-message-queue.ts";
import { createTestDb } from "../harness/db.ts";
import { TEST_DATABASE_URL } from "../harness/dialects.ts";

// PostgreSQL wakes workers in other processes when outbox events or queued messages are added
// (a trigger NOTIFYs at commit), so they need not wait for their next poll.

async function until(predicate: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(TEST_DATABASE_URL === undefined)("postgres: wake-ups across processes", () => {
  it("notifies a listening connection of rows another one commits, at commit", {
    timeout: 30_000,
  }, async () => {
    await using db = await createTestDb("postgres");
    await using other = await db.place.open();
    const seen: WatchedTable[] = [];
    const stop = await db.watchInserts?.(
      (table) => seen.push(table),
      () => {},
    );
    expect(stop).toBeDefined();
    await until(() => seen.length === 2); // one catch-up call per table on connecting
    seen.length = 0;
    const now = new Date().toISOString();
    await other.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("outbox_events")
        .values({ id: "e1", event_type: "test", payload: "{}", available_at: now, created_at: now })
        .execute();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).toEqual([]); // not before the commit
    });
    await until(() => seen.includes("outbox_events"));
    await new KyselyMessageQueue(other.db, other.dialect).enqueue({ hello: "world" });
    await until(() => seen.includes("fedify_queue"));
    await stop?.();
  });

  it("a queue that polls once a minute takes another process's message at once", {
    timeout: 30_000,
  }, async () => {
    await using db = await createTestDb("postgres");
    await using other = await db.place.open();
    const queue = new KyselyMessageQueue(db.db, db.dialect, { pollIntervalMs: 60_000 });
    const stop = await db.watchInserts?.(
      (table) => table === "fedify_queue" && queue.wake(),
      () => {},
    );
    const received: unknown[] = [];
    const controller = new AbortController();
    const listening = queue.listen((message) => void received.push(message), {
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the listener is idle now
    const sent = Date.now();
    await new KyselyMessageQueue(other.db, other.dialect).enqueue({ n: 1 });
    await until(() => received.length === 1);
    expect(Date.now() - sent).toBeLessThan(10_000); // its poll would take 60 s
    controller.abort();
    await listening;
    await stop?.();
  });
});
