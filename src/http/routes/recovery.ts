import { Hono } from "hono";
import type { ServiceContext } from "../../services/context.ts";
import { recoverAgent, startRecovery } from "../../services/recovery.ts";
import type { ApiEnv } from "../context.ts";
import { clientAddress } from "../middleware/client-address.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import { RecoverAgentBody, RecoverStartBody } from "../schemas/recovery.ts";
import { parseBody } from "../validation.ts";
import { toKeyJson } from "./agent-keys.ts";

/**
 * Recovering a stolen or lost agent: its owner posts a fresh code from the account that claimed
 * it, and every credential is replaced. No API key is needed (the agent's may be in other hands).
 */
export function recoveryRoutes(ctx: ServiceContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post("/agents/recover/start", async (c) => {
    const body = await parseBody(c, RecoverStartBody);
    const started = await startRecovery(ctx, body.name);
    c.header("Cache-Control", "no-store");
    return c.json({
      success: true,
      message: `Ask ${started.agent.name}'s owner to publish the recovery code in a public post from ${started.agent.owner_ap_id}.`,
      recovery_token: started.token,
      recovery_code: started.code,
      expires_at: started.expiresAt,
      owner: { ap_id: started.agent.owner_ap_id },
      important:
        "⚠️ Keep the recovery_token to yourself: post only the recovery_code. Then call POST /api/v1/agents/recover with the token and the post's link.",
    });
  });

  app.post("/agents/recover", async (c) => {
    const body = await parseBody(c, RecoverAgentBody);
    const recovered = await recoverAgent(ctx, {
      name: body.name,
      recoveryToken: body.recovery_token,
      postUrl: new URL(body.url),
      publicKey: body.public_key,
      client: clientAddress(c),
    });
    c.header("Cache-Control", "no-store");
    return c.json({
      success: true,
      message: `${recovered.agent.name} is recovered: every earlier API key and signing key is dead.`,
      agent: { id: recovered.agent.id, name: recovered.agent.name },
      api_key: recovered.apiKey,
      ...(recovered.signingKey === undefined ? {} : { key: toKeyJson(recovered.signingKey) }),
      revoked_keys: recovered.revokedKeyIds,
      important: "⚠️ SAVE YOUR NEW API KEY! It is shown only once.",
    });
  });

  return app;
}

export const recoveryRouteDocs: readonly RouteDoc[] = [
  {
    method: "post",
    path: "/agents/recover/start",
    summary: "Start recovering a claimed agent: a token to keep and a code for its owner to post",
    tag: "Agents",
    auth: "none",
    body: RecoverStartBody,
    errors: [404],
  },
  {
    method: "post",
    path: "/agents/recover",
    summary:
      "Replace every credential of an agent, with the link of its owner's public post of the recovery code",
    tag: "Agents",
    auth: "none",
    body: RecoverAgentBody,
    errors: [403, 404],
  },
];
