import { z } from "zod";
import { PagingQuery } from "../lists.ts";
import { HazardsQuery } from "./hazards.ts";

export const NotificationsQuery = PagingQuery.extend({
  ...HazardsQuery.shape,
  unread: z
    .enum(["true", "false"], { error: "unread must be true or false" })
    .optional()
    .describe("true: only unread notifications"),
  // The CLI's spelling of the same filter.
  filter: z.enum(["all", "unread"], { error: "filter must be all or unread" }).optional(),
});
