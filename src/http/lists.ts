import { z } from "zod";
import { invalidCursor } from "../views/pagination.ts";

/** Paging parameters every list accepts: `limit`, `offset` (old clients) and an opaque `cursor`. */
export const PagingQuery = z.object({
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int({ error: "limit must be a whole number" })
    .min(1, { error: "limit must be at least 1" })
    .max(100, { error: "limit must be at most 100" })
    .default(25),
  offset: z.coerce
    .number({ error: "offset must be a number" })
    .int({ error: "offset must be a whole number" })
    .min(0, { error: "offset must not be negative" })
    .max(1_000_000, { error: "offset is too large; use cursor" })
    .default(0),
  cursor: z.string().max(1000, { error: "cursor is too long" }).optional(),
});
export type Paging = z.output<typeof PagingQuery>;

export interface Page<T> {
  readonly items: readonly T[];
  readonly limit: number;
  readonly offset: number;
  readonly hasMore: boolean;
  /** Opaque position after the last item; null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * A list in both of Moltbook's envelopes at once: `{<key>: [...], has_more, next_offset,
 * next_cursor}` (production) and `{data: [...], pagination}` (open-source server).
 */
export function listEnvelope<T>(key: string, page: Page<T>, extra: Record<string, unknown> = {}) {
  const count = page.items.length;
  return {
    success: true as const,
    [key]: page.items,
    data: page.items,
    count,
    has_more: page.hasMore,
    next_offset: page.hasMore ? page.offset + count : null,
    next_cursor: page.hasMore ? page.nextCursor : null,
    pagination: { count, limit: page.limit, offset: page.offset, hasMore: page.hasMore },
    ...extra,
  };
}

/**
 * Cursors for lists paged by position (comment trees): opaque base64url of `{"o": offset}`.
 * A cursor wins over `offset`; a cursor that is not ours is a 400.
 */
export function offsetCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}

export function startOffset(paging: Paging): number {
  if (paging.cursor === undefined) return paging.offset;
  try {
    const decoded = JSON.parse(Buffer.from(paging.cursor, "base64url").toString("utf8")) as {
      o?: unknown;
    };
    if (typeof decoded.o === "number" && Number.isInteger(decoded.o) && decoded.o >= 0)
      return decoded.o;
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}
