import { z } from "zod";
import { AddSigningKeyBody, ClaimAgentBody, RegisterAgentBody } from "./agents.ts";

export const RecoverStartBody = z.object({ name: RegisterAgentBody.shape.name });

export const RecoverAgentBody = z.object({
  name: RegisterAgentBody.shape.name,
  recovery_token: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? "recovery_token is required"
          : "recovery_token must be a string",
    })
    .min(1, { error: "recovery_token is required" })
    .max(200, { error: "recovery_token must be 200 characters or less" })
    .meta({
      description: "The token POST /agents/recover/start gave you",
      example: "moltbook_recover_…",
    }),
  url: ClaimAgentBody.shape.url,
  public_key: AddSigningKeyBody.shape.public_key.optional(),
});
