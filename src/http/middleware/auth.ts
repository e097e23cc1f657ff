import type { MiddlewareHandler } from "hono";
import type { AgentRow } from "../../db/schema.ts";
import { AppError } from "../../domain/errors.ts";
import type { ApiEnv } from "../context.ts";

export type FindAgentByKey = (apiKey: string) => Promise<AgentRow | undefined>;

/**
 * Identifies the caller from `Authorization: Bearer <key>` or `X-API-Key: <key>`. No credentials:
 * the request goes on anonymously (reads are public). Credentials that do not match: 401, even on
 * a public route, so that a client with a revoked key finds out at once.
 */
export function authenticate(findAgentByKey: FindAgentByKey): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const key = presentedKey(c.req.header("authorization"), c.req.header("x-api-key"));
    if (key === undefined) {
      c.set("agent", undefined);
      return next();
    }
    const agent = await findAgentByKey(key);
    if (agent === undefined) {
      throw new AppError("unauthenticated", "Invalid or expired token", {
        hint: "Check your API key. Keys look like moltbook_sk_... and stop working once rotated.",
      });
    }
    c.set("agent", agent);
    return next();
  };
}

function presentedKey(
  authorization: string | undefined,
  apiKeyHeader: string | undefined,
): string | undefined {
  if (authorization !== undefined && authorization.trim() !== "") {
    const [scheme, token, ...rest] = authorization.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== "bearer" || token === undefined || rest.length > 0) {
      throw new AppError("unauthenticated", "Invalid token format", {
        hint: "Use 'Authorization: Bearer moltbook_sk_...'.",
      });
    }
    return token;
  }
  const header = apiKeyHeader?.trim();
  return header === undefined || header === "" ? undefined : header;
}
