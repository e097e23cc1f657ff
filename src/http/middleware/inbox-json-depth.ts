import type { MiddlewareHandler } from "hono";
import { assertJsonDepth } from "../validation.ts";
import { INBOX_PATH } from "./inbox-door.ts";

/**
 * Activities nest a few levels (the fediverse payloads we know: at most 7, an Announce adds one
 * or two). Deeper bodies are refused before Fedify parses them: its JSON-LD processing recurses
 * per level, and a hundred thousand levels ended in a stack overflow, a 500 and error logs.
 */
export const MAX_ACTIVITY_JSON_DEPTH = 32;

/**
 * In front of Fedify, for POSTs to an inbox (after the body limit): a body nested deeper than
 * MAX_ACTIVITY_JSON_DEPTH is a 400 in the API's envelope, before its signature is checked or
 * its JSON parsed. The body read here is handed on to Fedify byte for byte (its digest).
 */
export function inboxJsonDepth(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST" || !INBOX_PATH.test(c.req.path)) return next();
    const bytes = await c.req.arrayBuffer();
    assertJsonDepth(new TextDecoder().decode(bytes), MAX_ACTIVITY_JSON_DEPTH);
    c.req.raw = new Request(c.req.raw, { body: bytes });
    return next();
  };
}
