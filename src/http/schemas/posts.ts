import { z } from "zod";
import { COMMENT_SORTS } from "../../views/comments.ts";
import { PagingQuery } from "../lists.ts";
import { ContentProofBody } from "./content-proof.ts";
import { HazardsQuery } from "./hazards.ts";

const httpUrl = z
  .string({ error: "Invalid URL format" })
  .trim()
  .max(2000, { error: "URL must be 2000 characters or less" })
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    error: "Invalid URL format",
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
