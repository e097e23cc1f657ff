import type { MiddlewareHandler } from "hono";
import type { ServiceContext } from "../../services/context.ts";
import { consumeRequestQuota, quotaHeaders } from "../../services/rate-limits.ts";
import type { ApiEnv } from "../context.ts";
import { clientAddress } from "./client-address.ts";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Per-minute request quotas: per agent when authenticated, per client address otherwise. Runs
 * after authentication and before the route, so a refused request changes nothing.
 */
export function rateLimit(ctx: ServiceContext): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const agent = c.get("agent");
    const client = agent === undefined ? `ip:${clientAddress(c)}` : `agent:${agent.id}`;
    const quota = await consumeRequestQuota(
      ctx,
      client,
      READS.has(c.req.method) ? "read" : "write",
    );
    await next();
    if (quota !== undefined) {
      for (const [name, value] of Object.entries(quotaHeaders(quota)))
        c.res.headers.set(name, value);
    }
  };
}
