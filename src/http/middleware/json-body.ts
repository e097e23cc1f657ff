import type { MiddlewareHandler } from "hono";
import { AppError } from "../../domain/errors.ts";
import { assertJsonDepth, MAX_JSON_DEPTH } from "../validation.ts";

const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Rejects a malformed JSON body before any route sees it, with the API's documented 400. Routes
 * then read the body with c.req.json(), which Hono caches.
 */
export function jsonBody(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    if (WITH_BODY.has(c.req.method) && /^application\/([\w.+-]*\+)?json\b/i.test(type)) {
      const text = await c.req.text();
      if (text.trim() !== "") {
        assertJsonDepth(text, MAX_JSON_DEPTH);
        try {
          JSON.parse(text);
        } catch {
          throw new AppError("bad_request", "Invalid JSON body", {
            hint: "Check your request body is valid JSON",
          });
        }
      }
    }
    await next();
  };
}
