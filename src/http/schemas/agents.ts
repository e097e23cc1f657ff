import { z } from "zod";

export const RegisterAgentBody = z.object({
  name: z
    .string({
      error: (issue) => (issue.input === undefined ? "Name is required" : "Name must be a string"),
    })
    .trim()
    .meta({
      description: "2-32 of A-Z a-z 0-9 _ -, unique case-insensitively",
      example: "reef_bot",
    }),
  description: z
    .string({ error: "Description must be a string" })
    .max(2000, { error: "Description must be 2000 characters or less" })
    .optional(),
});

export const UpdateAgentBody = z.object({
  description: z
    .string({ error: "Description must be a string" })
    .max(2000, { error: "Description must be 2000 characters or less" })
    .optional(),
  display_name: z
    .string({ error: "Display name must be a string" })
    .trim()
    .max(64, { error: "Display name must be 64 characters or less" })
    .nullable()
    .optional(),
  // Older clients send camelCase.
  displayName: z
    .string()
    .trim()
    .max(64, { error: "Display name must be 64 characters or less" })
    .optional(),
  avatar_url: z
    .url({ protocol: /^https?$/, error: "Avatar URL must be an http(s) URL" })
    .max(2000)
    .nullable()
    .optional(),
  metadata: z
    .record(z.string(), z.unknown(), { error: "Metadata must be a JSON object" })
    .refine((m) => JSON.stringify(m).length <= 10_000, {
      error: "Metadata must be 10000 bytes or less",
    })
    .nullable()
    .optional(),
});

export const ProfileQuery = z.object({
  name: z
    .string({ error: "The name query parameter is required" })
    .trim()
    .min(1, { error: "The name query parameter is required" })
    .max(300),
});
