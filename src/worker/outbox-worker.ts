import type { Publish } from "../federation/outbox/publisher.ts";
import type { Clock } from "../lib/clock.ts";
import { errorDetails } from "../lib/error-details.ts";
import { appLogger } from "../lib/logger.ts";
import type { DbHandle } from "../repos/database.ts";
import {
  leaseOutboxEvents,
  listDueOutboxEvents,
  markOutboxEventFailed,
  markOutboxEventsPublished,
  type OutboxEvent,
} from "../repos/outbox.ts";

const logger = appLogger("worker", "outbox");

export interface OutboxWorker {
  /** Publishes every due event, including ones that publishing adds; returns how many. */
  processAll(): Promise<number>;
  /** Polls until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** Another process wrote events: an idle run() looks now rather than at its next poll. */
  wake(): void;
}

export interface OutboxWorkerDeps {
  readonly db: DbHandle;
  readonly clock: Clock;
  readonly publish: Publish;
  readonly pollIntervalMs?: number;
  /** How long a claimed event stays hidden from other workers while it is published. */
  readonly leaseMs?: number;
}

const BATCH = 50;
const MAX_BACKOFF_MS = 60 * 60_000;

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const leaseMs = deps.leaseMs ?? 60_000;
  const wakeups = new EventTarget();
  // A wake-up that comes while a batch is being read must not wait for the next poll.
  let wakePending = false;
  // A batch is taken in one statement and marked published in one: per event, only publishing
  // itself is left. A process that dies mid-batch leaves the batch to be published again once
  // its lease ends (at least once, as deliveries are; activity ids are stable).
  const processBatch = async (): Promise<number> => {
    const now = deps.clock.now();
    const due = await listDueOutboxEvents(deps.db, now.toISOString(), BATCH);
    const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
    const leased = await leaseOutboxEvents(
      deps.db,
      due.map((item) => item.id),
      now.toISOString(),
      leaseUntil,
    );
    const published: string[] = [];
    try {
      for (const item of due) {
        if (!leased.has(item.id)) continue;
        try {
          await deps.publish(item.id, item.event);
          published.push(item.id);
        } catch (error) {
          await recordFailure(item, error);
        }
        // NOTE: on SQLite, an event that sends nothing is published through promises that
        // settle at once (the driver is synchronous), so a batch would run without ever letting
        // the event loop read a request: requests waited for the whole backlog.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await markOutboxEventsPublished(deps.db, published, deps.clock.now().toISOString());
    }
    return leased.size;
  };
  const recordFailure = async (item: OutboxEvent, error: unknown): Promise<void> => {
    const retryAt = new Date(
      deps.clock.now().getTime() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** item.attempts),
    );
    logger.warning("Publishing {type} event {id} failed (attempt {attempt}): {error}", {
      type: item.event.type,
      id: item.id,
      attempt: item.attempts + 1,
      error: errorDetails(error),
    });
    await markOutboxEventFailed(deps.db, item.id, String(error), retryAt.toISOString());
  };
  return {
    async processAll() {
      let total = 0;
      for (;;) {
        const done = await processBatch();
        total += done;
        if (done === 0) return total;
      }
    },
    async run(signal) {
      while (!signal.aborted) {
        wakePending = false;
        const done = await processBatch().catch((error: unknown) => {
          logger.error("Outbox worker failed: {error}", { error: errorDetails(error) });
          return 0;
        });
        if (done === 0 && !wakePending) await sleep(deps.pollIntervalMs ?? 500, signal, wakeups);
      }
    },
    wake() {
      wakePending = true;
      wakeups.dispatchEvent(new Event("wake"));
    },
  };
}

/** Waits `ms`, or until the signal aborts or a wake-up comes. */
function sleep(ms: number, signal: AbortSignal, wakeups: EventTarget): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    wakeups.addEventListener("wake", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      wakeups.removeEventListener("wake", done);
      resolve();
    }
  });
}
