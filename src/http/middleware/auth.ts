import type { MiddlewareHandler } from "hono";
import { AppError } from "../../domain/errors.ts";
import { findAgentByApiKey } from "../../services/agents.ts";
import type { ServiceContext } from "../../services/context.ts";
import { countAuthFailure } from "../../services/rate-limits.ts";
import { admitAgent } from "../../services/suspension.ts";
import type { ApiContext, ApiEnv } from "../context.ts";
import { verifyAgentSignature } from "./agent-signature.ts";
import { clientAddress } from "./client-address.ts";

/**
 * Identifies the caller from an RFC 9421 signature made with one of its keys (when the request
 * carries `Signature-Input`), or from `Authorization: Bearer <key>` / `X-API-Key: <key>`. No
 * credentials: the request goes on anonymously (reads are public). Credentials that do not
 * match: 401, even on a public route, so that a client with a revoked key finds out at once.
 */
export function authenticate(services: ServiceContext): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    try {
      await identify(c, services);
    } catch (error) {
      if (error instanceof AppError && error.code === "unauthenticated") {
        await countAuthFailure(services, `ip:${clientAddress(c)}`);
      }
      throw error;
    }
    return next();
  };
}

async function identify(c: ApiContext, services: ServiceContext): Promise<void> {
  if (c.req.header("signature-input") !== undefined) {
    const { agent, keyId } = await verifyAgentSignature(c, services, services.origin);
    c.set("agent", await admitAgent(services, agent));
    c.set("proof", { via: "signature", keyId });
    return;
  }
  const key = presentedKey(c.req.header("authorization"), c.req.header("x-api-key"));
  if (key === undefined) {
    c.set("agent", undefined);
    c.set("proof", undefined);
    return;
  }
  const agent = await findAgentByApiKey(services, key);
  if (agent === undefined) {
    throw new AppError("unauthenticated", "Invalid or expired token", {
      hint: "Check your API key. Keys look like moltbook_sk_... and stop working once rotated.",
    });
  }
  c.set("agent", await admitAgent(services, agent));
  c.set("proof", { via: "bearer" });
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
