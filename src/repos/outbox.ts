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
  const [id] = await appendOutboxEvents(db, [event], now);
  return id as string;
}

/**
 * Appends events in one statement (a write that reports several changes appends them together);
 * call it inside the transaction that makes the changes. Returns their ids, in order.
 */
export async function appendOutboxEvents(
  db: DbHandle,
  events: readonly DomainEvent[],
  now: string,
): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = events.map((event) => ({
    id: uuidv7(),
    event_type: event.type,
    payload: JSON.stringify(event),
    available_at: now,
    created_at: now,
  }));
  await db.insertInto("outbox_events").values(rows).execute();
  return rows.map((r) => r.id);
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
 * Takes due events for publishing: moves their availability past `leaseUntil` so that another
 * worker skips them while this one works. Returns the ids taken (another worker may have taken
 * some first).
 */
export async function leaseOutboxEvents(
  db: DbHandle,
  ids: readonly string[],
  now: string,
  leaseUntil: string,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .updateTable("outbox_events")
    .set((eb) => ({ available_at: leaseUntil, attempts: eb("attempts", "+", 1) }))
    .where("id", "in", ids)
    .where("published_at", "is", null)
    .where("available_at", "<=", now)
    .returning("id")
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function markOutboxEventsPublished(
  db: DbHandle,
  ids: readonly string[],
  now: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("outbox_events")
    .set({ published_at: now, last_error: null })
    .where("id", "in", ids)
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
