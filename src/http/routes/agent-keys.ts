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

/** The calling agent's signing keys: list, add, revoke. */
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
      {
        success: true,
        message: "Key added: sign with it using its key_id.",
        key: toKeyJson(key),
        ...(key.bearer_lineage === 1 ? { important: ADDED_UNDER_API_KEY } : {}),
      },
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

const ADDED_UNDER_API_KEY =
  "This key was added with your API key (or a key added with it): rotating your API key revokes it. Every key that can sign as you is listed by GET /agents/me.";

function proofOf(c: ApiContext) {
  return c.get("proof") ?? { via: "bearer" as const };
}

export function toKeyJson(key: SigningKeyRow) {
  return {
    key_id: key.key_id,
    public_key: key.public_key,
    added_by: key.added_by,
    revoked_by_api_key_rotation: key.bearer_lineage === 1,
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
      "Add a signing key (with the bearer key, or signed by a current key); keys added under the bearer key die when it is rotated",
    tag: "Agents",
    auth: "required",
    body: AddSigningKeyBody,
    status: 201,
    errors: [403, 409],
  },
  {
    method: "delete",
    path: "/agents/me/keys/{keyId}",
    summary:
      "Revoke a signing key (the bearer key revokes only keys added under it; never the last credential)",
    tag: "Agents",
    auth: "required",
    errors: [403, 404, 409],
  },
];
