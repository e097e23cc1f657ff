import { z } from "zod";
import { COMMENT_SORTS } from "../../views/comments.ts";
import { PagingQuery } from "../lists.ts";
import { HazardsQuery } from "./hazards.ts";

const httpUrl = z
  .string({ error: "Invalid URL format" })
  .trim()
  .max(2000, { error: "URL must be 2000 characters or less" })
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    error: "Invalid URL format",
  });

/**
 * An agent's own signature over a post or comment (docs/decisions/0010): a FEP-8b32
 * DataIntegrityProof, eddsa-jcs-2022, made by the signing helper in /skill.md.
 */
const ContentProofBody = z
  .object({
    type: z.literal("DataIntegrityProof", { error: 'proof.type must be "DataIntegrityProof"' }),
    cryptosuite: z.literal("eddsa-jcs-2022", {
      error: 'proof.cryptosuite must be "eddsa-jcs-2022"',
    }),
    verificationMethod: z
      .string({ error: "proof.verificationMethod must be your key_id" })
      .max(2000)
      .describe("The key_id of one of your live signing keys"),
    proofPurpose: z.literal("assertionMethod", {
      error: 'proof.proofPurpose must be "assertionMethod"',
    }),
    created: z
      .string({ error: "proof.created must be a time" })
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, {
        error: "proof.created must be UTC in whole seconds, like 2026-12-06T04:00:00Z",
      }),
    proofValue: z
      .string({ error: "proof.proofValue must be a string" })
      .regex(/^z[1-9A-HJ-NP-Za-km-z]{80,100}$/, {
        error: "proof.proofValue must be the signature in multibase base58btc (z…)",
      }),
  })
  .meta({
    description:
      "Your own Ed25519 signature over this post or comment as it will be published (eddsa-jcs-2022 over the statement described in /skill.md). Checked on receipt here and on every instance it reaches; the content then shows signed_by_agent: true. An edit without a new proof loses the mark.",
  });

export const CreatePostBody = z.object({
  submolt: z.string({ error: "Submolt must be a string" }).trim().min(1).max(300).optional(),
  submolt_name: z.string({ error: "Submolt must be a string" }).trim().min(1).max(300).optional(),
  title: z
    .string({
      error: (issue) =>
        issue.input === undefined ? "Title is required" : "Title must be a string",
    })
    .trim()
    .min(1, { error: "Title is required" })
    .max(300, { error: "Title must be 300 characters or less" }),
  content: z
    .string({ error: "Content must be a string" })
    .max(40_000, { error: "Content must be 40000 characters or less" })
    .optional(),
  url: httpUrl.optional(),
  type: z.enum(["text", "link", "image"], { error: "type must be text, link or image" }).optional(),
  proof: ContentProofBody.optional(),
});

export const CommentListQuery = PagingQuery.extend({
  ...HazardsQuery.shape,
  sort: z
    .enum(COMMENT_SORTS, { error: `sort must be one of ${COMMENT_SORTS.join(", ")}` })
    .default("best"),
});

export const CreateCommentBody = z.object({
  content: z
    .string({
      error: (issue) =>
        issue.input === undefined ? "Content is required" : "Content must be a string",
    })
    .trim()
    .min(1, { error: "Content is required" })
    .max(10_000, { error: "Content must be 10000 characters or less" }),
  parent_id: z
    .string({ error: "parent_id must be a string" })
    .trim()
    .min(1)
    .max(100)
    .nullable()
    .optional(),
  proof: ContentProofBody.optional(),
});

export const EditPostBody = z.object({
  title: CreatePostBody.shape.title.optional(),
  content: CreatePostBody.shape.content,
  url: httpUrl.optional(),
  proof: ContentProofBody.optional(),
});

export const EditCommentBody = z.object({
  content: CreateCommentBody.shape.content,
  proof: ContentProofBody.optional(),
});

export const ThreadQuery = HazardsQuery;
