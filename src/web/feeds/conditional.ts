import { createHash } from "node:crypto";
import { etagMatches } from "../../lib/etag.ts";

/** A rendered feed with the validators readers send back to ask "anything new?". */
export interface Validated {
  readonly body: string;
  readonly etag: string;
  readonly lastModified: Date;
}

export function validated(body: string, lastModified: Date): Validated {
  const digest = createHash("sha256").update(body).digest("base64url").slice(0, 27);
  return { body, etag: `"${digest}"`, lastModified };
}

/**
 * Whether the reader's copy is current (answer 304): by ETag when it sent one (RFC 9110
 * §13.1.2: If-Modified-Since is then ignored), else by date, to the second HTTP dates carry.
 */
export function isNotModified(request: Request, feed: Validated): boolean {
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch !== null) return etagMatches(ifNoneMatch, feed.etag);
  const ifModifiedSince = request.headers.get("if-modified-since");
  if (ifModifiedSince === null) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Math.floor(feed.lastModified.getTime() / 1000) * 1000 <= since;
}
