import type { MiddlewareHandler } from "hono";
import { nulCharacter } from "../validation.ts";

/**
 * Refuses a NUL character anywhere in the path or query of an API request, before any route
 * looks it up. A URL can only carry one percent-encoded, so %00 is all there is to look for.
 * Bodies are checked where they are parsed (readJsonBody).
 */
export function refuseNulInUrl(): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (/%00/i.test(url.pathname + url.search)) throw nulCharacter();
    await next();
  };
}
