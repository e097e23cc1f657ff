import type { DomainEvent } from "../domain/events.ts";
import { uuidv7 } from "../domain/ids.ts";
import type { DbHandle } from "./database.ts";

export interface OutboxEvent {
  readonly id: string;
  readonly event: DomainEvent;
  readonly attempts: number;
}

/** Appends an event; call it inside the transaction that makes the change it reports. */
export async function appendOutboxEvent(
  db: DbHandle,
  event: DomainEvent,
  now: string,
): Promise<string> {
  const id = uuidv7();
  await db
    .insertInto("outbox_events")
    .values({
      id,
      event_type: event.type,
      payload: JSON.stringify(event),
      available_at: now,
      created_at: now,
    })
    .execute();
  return id;
}

/** The oldest due, unpublished events (at most `limit`). */
export async function listDueOutboxEvents(
  db: DbHandle,
  now: string,
  limit: number,
): Promise<OutboxEvent[]> {
  const rows = await db
    .selectFrom("outbox_events")
    .select(["id", "payload", "attempts"])
    .where("published_at", "is", null)
    .where("available_at", "<=", now)
    .orderBy("available_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    event: JSON.parse(r.payload) as DomainEvent,
    attempts: r.attempts,
  }));
}

/**
 * Takes an event for publishing: moves its availability past `leaseUntil` so another worker
 * skips it while this one works. False when another worker took it first.
 */
export async function leaseOutboxEvent(
  db: DbHandle,
  id: string,
  now: string,
  leaseUntil: string,
): Promise<boolean> {
  const result = await db
    .updateTable("outbox_events")
    .set((eb) => ({ available_at: leaseUntil, attempts: eb("attempts", "+", 1) }))
    .where("id", "=", id)
    .where("published_at", "is", null)
    .where("available_at", "<=", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markOutboxEventPublished(
  db: DbHandle,
  id: string,
  now: string,
): Promise<void> {
  await db
    .updateTable("outbox_events")
    .set({ published_at: now, last_error: null })
    .where("id", "=", id)
    .execute();
}

export async function markOutboxEventFailed(
  db: DbHandle,
  id: string,
  error: string,
  retryAt: string,
): Promise<void> {
  await db
    .updateTable("outbox_events")
    .set({ last_error: error.slice(0, 1000), available_at: retryAt })
    .where("id", "=", id)
    .execute();
}

/**
 * Whether the same event was appended again after `id` and waits to be published (so publishing
 * `id` would only repeat what that one will say).
 */
export async function hasLaterPendingEvent(
  db: DbHandle,
  id: string,
  event: DomainEvent,
): Promise<boolean> {
  const later = await db
    .selectFrom("outbox_events")
    .select("id")
    .where("event_type", "=", event.type)
    .where("payload", "=", JSON.stringify(event))
    .where("published_at", "is", null)
    .where("id", ">", id)
    .limit(1)
    .executeTakeFirst();
  return later !== undefined;
}
