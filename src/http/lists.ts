import type { Context } from "hono";
import { z } from "zod";
import { invalidCursor } from "../views/pagination.ts";
import { sendBody, sharedBody } from "./encoded-body.ts";

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

const JSON_TYPE = "application/json";

/**
 * `listEnvelope` as the response, with the same bytes as `c.json(listEnvelope(…))`, but the list,
 * which the envelope carries twice, encoded once (a feed page is 25 posts, about 25 KB each time).
 * `shared`: the cached value the page was read from when it is the same for every viewer; the
 * answer's bytes (and their compressed forms) are then kept with it (see sharedBody).
 * `filter`: whatever else made `page.items` from the shared value (a hazards filter), so that
 * each filtered answer is kept apart.
 */
export function listResponse<T>(
  c: Context,
  key: string,
  page: Page<T>,
  extra: Record<string, unknown> = {},
  shared?: object,
  filter = "",
): Promise<Response> {
  const variant = JSON.stringify([key, page.limit, page.offset, extra, filter]);
  const body = sharedBody(shared, variant, () => encodeListEnvelope(key, page, extra));
  return sendBody(c, body, JSON_TYPE);
}

/** JSON.stringify(listEnvelope(key, page, extra)), encoding the items once. */
export function encodeListEnvelope<T>(
  key: string,
  page: Page<T>,
  extra: Record<string, unknown> = {},
): string {
  const envelope = listEnvelope(key, page, extra);
  // Keys that `extra` would move or replace: the plain way keeps those exact.
  if (key === "success" || key === "data" || "success" in extra || "data" in extra || key in extra)
    return JSON.stringify(envelope);
  const { success: _success, [key]: _list, data: _data, ...rest } = envelope;
  const items = encodeShared(page.items);
  return `{"success":true,${JSON.stringify(key)}:${items},"data":${items},${JSON.stringify(rest).slice(1)}`;
}

/**
 * JSON.stringify(value), reusing the text of values that cannot change (deeply frozen, as cached
 * pages and threads are): encoded once, kept by object (WeakMap). An array that is not itself
 * reusable is joined from its elements' texts, which JSON.stringify would give the same way (an
 * `undefined` or a function element becomes `null` in both).
 */
export function encodeShared(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  const known = encoded.get(value);
  if (known !== undefined) return known;
  if (isDeeplyFrozen(value)) {
    const text = JSON.stringify(value) ?? "null";
    encoded.set(value, text);
    return text;
  }
  if (Array.isArray(value)) return `[${Array.from(value, encodeShared).join(",")}]`;
  return JSON.stringify(value) ?? "null";
}

const encoded = new WeakMap<object, string>();

function isDeeplyFrozen(value: object): boolean {
  if (!Object.isFrozen(value)) return false;
  for (const inner of Object.values(value)) {
    if (typeof inner === "object" && inner !== null && !isDeeplyFrozen(inner)) return false;
  }
  return true;
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
