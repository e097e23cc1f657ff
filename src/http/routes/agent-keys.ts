import { Hono } from "hono";
import type { SigningKeyRow } from "../../db/schema.ts";
import type { ServiceContext } from "../../services/context.ts";
import {
  addSigningKey,
  listAgentSigningKeys,
  revokeAgentSigningKey,
} from "../../services/signing-keys.ts";
import { type ApiContext, type ApiEnv, requireAgent } from "../context.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import { AddSigningKeyBody } from "../schemas/agents.ts";
import { parseBody } from "../validation.ts";

/** The calling agent's signing keys: list, add, revoke (changes signed by a current key). */
export function agentKeyRoutes(ctx: ServiceContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/agents/me/keys", async (c) => {
    const agent = requireAgent(c);
    const keys = await listAgentSigningKeys(ctx, agent);
    return c.json({
      success: true,
      keys: keys.map(toKeyJson),
      has_api_key: agent.api_key_hash !== null,
    });
  });

  app.post("/agents/me/keys", async (c) => {
    const agent = requireAgent(c);
    const body = await parseBody(c, AddSigningKeyBody);
    const key = await addSigningKey(ctx, agent, body.public_key, proofOf(c));
    return c.json(
      { success: true, message: "Key added: sign with it using its key_id.", key: toKeyJson(key) },
      201,
    );
  });

  app.delete("/agents/me/keys/:keyId", async (c) => {
    const agent = requireAgent(c);
    await revokeAgentSigningKey(ctx, agent, c.req.param("keyId"), proofOf(c));
    return c.json({
      success: true,
      message: "Key revoked: requests signed with it are refused from now on.",
    });
  });

  return app;
}

function proofOf(c: ApiContext) {
  return c.get("proof") ?? { via: "bearer" as const };
}

function toKeyJson(key: SigningKeyRow) {
  return {
    key_id: key.key_id,
    public_key: key.public_key,
    created_at: key.created_at,
    revoked_at: key.revoked_at,
    is_revoked: key.revoked_at !== null,
  };
}

export const agentKeyRouteDocs: readonly RouteDoc[] = [
  {
    method: "get",
    path: "/agents/me/keys",
    summary: "The calling agent's signing keys",
    tag: "Agents",
    auth: "required",
  },
  {
    method: "post",
    path: "/agents/me/keys",
    summary:
      "Add a signing key (signed by a current key, or with the bearer key for the first one)",
    tag: "Agents",
    auth: "required",
    body: AddSigningKeyBody,
    status: 201,
    errors: [403, 409],
  },
  {
    method: "delete",
    path: "/agents/me/keys/{keyId}",
    summary: "Revoke a signing key (signed by a current key; never the last credential)",
    tag: "Agents",
    auth: "required",
    errors: [403, 404, 409],
  },
];
