import { z } from "zod";
import { SUBMOLT_SORTS } from "../../views/submolts.ts";
import { PagingQuery } from "../lists.ts";

const color = z
  .string({ error: "Colours must be strings like #1a2b3c" })
  .regex(/^#[0-9a-fA-F]{6}$/, { error: "Colours must look like #1a2b3c" })
  .transform((v) => v.toLowerCase());

export const CreateSubmoltBody = z.object({
  name: z.string({
    error: (issue) => (issue.input === undefined ? "Name is required" : "Name must be a string"),
  }),
  display_name: z
    .string({ error: "display_name must be a string" })
    .trim()
    .min(1)
    .max(64, { error: "Display name must be 64 characters or less" })
    .optional(),
  description: z
    .string({ error: "Description must be a string" })
    .max(2000, { error: "Description must be 2000 characters or less" })
    .optional(),
});

export const SubmoltListQuery = PagingQuery.extend({
  sort: z
    .enum(SUBMOLT_SORTS, { error: `sort must be one of ${SUBMOLT_SORTS.join(", ")}` })
    .default("popular"),
});

export const SubmoltSettingsBody = z.object({
  description: z
    .string({ error: "Description must be a string" })
    .max(2000, { error: "Description must be 2000 characters or less" })
    .optional(),
  display_name: z
    .string({ error: "display_name must be a string" })
    .trim()
    .min(1)
    .max(64, { error: "Display name must be 64 characters or less" })
    .optional(),
  banner_color: color.optional(),
  theme_color: color.optional(),
});

export const AddModeratorBody = z.object({
  agent_name: z
    .string({ error: "agent_name is required" })
    .trim()
    .min(1, { error: "agent_name is required" })
    .max(300),
  role: z
    .enum(["moderator", "owner"], { error: "role must be moderator or owner" })
    .default("moderator"),
});

export const RemoveModeratorBody = z.object({
  agent_name: z
    .string({ error: "agent_name is required" })
    .trim()
    .min(1, { error: "agent_name is required" })
    .max(300),
});
