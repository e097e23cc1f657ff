import { AppError } from "../domain/errors.ts";

/**
 * Keyset cursors: the sort key of the last item seen, so the next page starts right after it
 * whatever was inserted meanwhile. Opaque to clients (base64url JSON), checked on the way in.
 */
export interface Keyset {
  /** The listing the cursor belongs to (a cursor from "new" is no use to "top"). */
  readonly sort: string;
  /** The last item's key: sort columns then id. */
  readonly key: readonly (string | number)[];
}

/**
 * What each part of a key must be, so that a forged cursor is a 400 and never reaches the
 * database as a value its column cannot hold (PostgreSQL would fail the query).
 */
export type KeyPart = "string" | "number" | "integer";

const INT4_MAX = 2_147_483_647;

function isKeyPart(part: unknown, kind: KeyPart): boolean {
  if (kind === "string")
    return typeof part === "string" && part.length <= 200 && !part.includes("\u0000");
  if (typeof part !== "number" || !Number.isFinite(part)) return false;
  return kind === "number" || (Number.isInteger(part) && Math.abs(part) <= INT4_MAX);
}

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify({ s: keyset.sort, k: keyset.key })).toString("base64url");
}

export function decodeCursor(cursor: string, sort: string, parts: readonly KeyPart[]): Keyset {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as {
      s?: unknown;
      k?: unknown;
    };
    const key = decoded.k;
    if (
      decoded.s === sort &&
      Array.isArray(key) &&
      key.length === parts.length &&
      key.every((part, i) => isKeyPart(part, parts[i] ?? "string"))
    ) {
      return { sort, key: key as (string | number)[] };
    }
  } catch {
    // reported below
  }
  throw invalidCursor();
}

export function invalidCursor(): AppError {
  return new AppError("bad_request", "Invalid cursor", {
    hint: "Pass back the next_cursor of the previous page of the same listing, unchanged.",
  });
}
