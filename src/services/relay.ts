import type { SubmoltRow } from "../db/schema.ts";
import type { DomainEvent } from "../domain/events.ts";
import type { DbHandle } from "../repos/database.ts";
import { appendOutboxEvents } from "../repos/outbox.ts";

type RelaySubmolt = Pick<SubmoltRow, "id" | "is_local"> | undefined | null;

/**
 * New content arrived in `submolt`: when the submolt is ours, its Group relays the Create that
 * delivered it to its followers (FEP-1b12). Remote submolts relay for themselves. `ownEvents`:
 * the write's own outbox events, appended with the relay in one statement.
 */
export async function relayNewContent(
  db: DbHandle,
  submolt: RelaySubmolt,
  objectApId: string,
  activityApId: string | null,
  now: string,
  ownEvents: readonly DomainEvent[] = [],
): Promise<void> {
  await appendOutboxEvents(
    db,
    [...ownEvents, ...relayEventFor(submolt, objectApId, activityApId)],
    now,
  );
}

/**
 * The outbox event by which a local `submolt` relays `objectApId` (delivered by `activityApId`),
 * for a write that appends it with its own events in one statement; none for a remote submolt.
 */
export function relayEventFor(
  submolt: RelaySubmolt,
  objectApId: string,
  activityApId: string | null,
): DomainEvent[] {
  if (submolt?.is_local !== 1) return [];
  return [{ type: "submolt.announced", submoltId: submolt.id, objectApId, activityApId }];
}
