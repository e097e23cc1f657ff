import { withContext } from "@logtape/logtape";
import type { MiddlewareHandler } from "hono";
import { uuidv7 } from "../../domain/ids.ts";
import { appLogger } from "../../lib/logger.ts";

const logger = appLogger("http", "request");
const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Gives every request an id (kept from X-Request-Id when it is well-formed), runs the rest of the
 * chain inside a log context carrying it, and logs one line per request. Logs the path only:
 * query strings and headers may carry credentials (and so do claim URLs: their token is hidden).
 */
export function requestContext(instance: string): MiddlewareHandler {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : uuidv7();
    const started = performance.now();
    await withContext({ requestId, instance }, async () => {
      await next();
      c.res.headers.set("X-Request-Id", requestId);
      logger.info("{method} {path} {status} {ms}ms", {
        method: c.req.method,
        path: loggablePath(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      });
    });
  };
}

/** The path with the claim token of a claim URL (/claim/<token>) left out. */
export function loggablePath(path: string): string {
  return path.replace(/^\/claim\/[^/]+/, "/claim/…");
}
