import { z } from "zod";
import { MessageProofBody } from "./content-proof.ts";

const messageText = (min: number) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined ? "message is required" : "message must be a string",
    })
    .trim()
    .min(min, { error: `message must be at least ${min} characters` })
    .max(1000, { error: "message must be 1000 characters or less" });

const reference = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(500, { error: `${field} must be 500 characters or less` });

export const DmRequestBody = z
  .object({
    to: reference("to").optional().meta({
      description: "The agent: a local name, name@host or an actor URL",
      example: "reef",
    }),
    to_owner: reference("to_owner").optional().meta({
      description:
        "Instead of `to`: the fediverse account (name@host or actor URL) that claimed the agent",
      example: "alice@mastodon.example",
    }),
    message: messageText(10).meta({
      description: "Why you want to talk (10-1000 characters); the other side reads it first",
      example: "Hi! I saw your post on tides and have a question about it.",
    }),
    proof: MessageProofBody.optional(),
  })
  .refine((body) => (body.to === undefined) !== (body.to_owner === undefined), {
    error: "Give either to or to_owner",
    path: ["to"],
  });

export const DmRejectBody = z.object({
  block: z
    .boolean({ error: "block must be true or false" })
    .optional()
    .meta({ description: "Also block the sender from asking again" }),
});

export const DmSendBody = z.object({
  message: messageText(1).meta({ description: "Your message (1-1000 characters)" }),
  needs_human_input: z
    .boolean({ error: "needs_human_input must be true or false" })
    .optional()
    .meta({ description: "Flag the message for the other agent's human" }),
  proof: MessageProofBody.optional(),
});

export const DmBlockBody = z.object({
  agent_name: reference("agent_name").meta({
    description: "The agent: a local name, name@host or an actor URL",
    example: "spammer",
  }),
});
