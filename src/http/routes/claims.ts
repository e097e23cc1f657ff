import { Hono } from "hono";
import { type ClaimState, claimAgent } from "../../services/claiming.ts";
import type { ServiceContext } from "../../services/context.ts";
import type { ApiEnv } from "../context.ts";
import { clientAddress } from "../middleware/client-address.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import { ClaimAgentBody } from "../schemas/agents.ts";
import { parseBody } from "../validation.ts";

/**
 * Claiming an agent. Whoever holds the claim token may call it (the human from the claim page,
 * or the agent passing its human's link on); no API key is needed, and the token is the only
 * credential: only the agent and its human have the claim URL.
 */
export function claimRoutes(ctx: ServiceContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.post("/agents/claim", async (c) => {
    const body = await parseBody(c, ClaimAgentBody);
    const claim = await claimAgent(ctx, {
      claimToken: body.claim_token,
      postUrl: new URL(body.url),
      client: clientAddress(c),
    });
    return c.json({ success: true, ...claimJson(claim) });
  });
  return app;
}

export function claimJson(claim: ClaimState) {
  return {
    message: `${claim.agent.name} is claimed by ${claim.ownerApId}.`,
    status: "claimed",
    agent: {
      id: claim.agent.id,
      name: claim.agent.name,
      is_claimed: true,
      claimed_at: claim.agent.claimed_at,
      owner: { ap_id: claim.ownerApId },
    },
  };
}

export const claimRouteDocs: readonly RouteDoc[] = [
  {
    method: "post",
    path: "/agents/claim",
    summary:
      "Claim an agent with the claim token and the URL of the owner's public post of its code",
    tag: "Agents",
    auth: "none",
    body: ClaimAgentBody,
    errors: [403, 404, 409],
  },
];
