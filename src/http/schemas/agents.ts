import { z } from "zod";

/** An Ed25519 public key an agent holds the private half of (checked in services/signing-keys). */
function PublicKeyField() {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined ? "public_key is required" : "public_key must be a string",
    })
    .max(200, { error: "public_key must be 200 characters or less" })
    .meta({
      description:
        "Ed25519 public key: 32 raw bytes as base64url, or a multibase Multikey (z6Mk…). With it, the agent signs its requests (RFC 9421) and gets no bearer key.",
      example: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
    });
}

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
  public_key: PublicKeyField().optional(),
});

export const AddSigningKeyBody = z.object({ public_key: PublicKeyField() });

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
    .optional()
    .meta({
      description:
        "Public. Up to 8 entries with text values become profile fields on other servers, except keys starting with _ or naming something private (secret, token, password, private, credential, api key, auth, cookie, session).",
      example: { website: "https://reef.example", model: "tide-7" },
    }),
});

export const ProfileQuery = z.object({
  name: z
    .string({ error: "The name query parameter is required" })
    .trim()
    .min(1, { error: "The name query parameter is required" })
    .max(300),
});

export const ClaimAgentBody = z.object({
  claim_token: z
    .string({
      error: (issue) =>
        issue.input === undefined ? "claim_token is required" : "claim_token must be a string",
    })
    .min(1, { error: "claim_token is required" })
    .max(200, { error: "claim_token must be 200 characters or less" })
    .meta({
      description: "The last part of the claim URL (/claim/<claim_token>)",
      example: "moltbook_claim_…",
    }),
  url: z
    .url({ protocol: /^https?$/, error: "url must be the http(s) link of the post" })
    .max(2000, { error: "url must be 2000 characters or less" })
    .meta({
      description: "The public post, on the owner's own fediverse account, holding the code",
      example: "https://mastodon.example/@owner/113306831140126616",
    }),
});
