import type { SubmoltRow } from "../db/schema.ts";
import type { DbHandle } from "../repos/database.ts";
import { appendOutboxEvent } from "../repos/outbox.ts";

/**
 * New content arrived in `submolt`: when the submolt is ours, its Group relays the Create that
 * delivered it to its followers (FEP-1b12). Remote submolts relay for themselves.
 */
export async function relayNewContent(
  db: DbHandle,
  submolt: Pick<SubmoltRow, "id" | "is_local"> | undefined | null,
  objectApId: string,
  activityApId: string | null,
  now: string,
): Promise<void> {
  if (submolt?.is_local !== 1) return;
  await appendOutboxEvent(
    db,
    { type: "submolt.announced", submoltId: submolt.id, objectApId, activityApId },
    now,
  );
}
