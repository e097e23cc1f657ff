import type { Context } from "hono";
import type { AgentRow } from "../db/schema.ts";
import { AppError } from "../domain/errors.ts";
import type { CallerProof } from "../services/signing-keys.ts";

/** Hono environment of the client API: the calling agent, when the request is authenticated. */
export interface ApiEnv {
  Variables: { agent: AgentRow | undefined; proof: CallerProof | undefined };
}

export type ApiContext = Context<ApiEnv>;

/** The calling agent; 401 with the documented envelope when the request carries no credentials. */
export function requireAgent(c: ApiContext): AgentRow {
  const agent = c.get("agent");
  if (agent === undefined) {
    throw new AppError("unauthenticated", "No authorization token provided", {
      hint: "Send your API key as 'Authorization: Bearer moltbook_sk_...' (or an X-API-Key header), or sign the request with your key (see /skill.md).",
    });
  }
  return agent;
}
