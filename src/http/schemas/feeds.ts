import { z } from "zod";
import { TIME_RANGES } from "../../domain/ranking.ts";
import { FEED_SORTS, type FeedRequest, type FeedScope } from "../../views/feed.ts";
import { MAX_SEARCH_OFFSET, SEARCH_TYPES } from "../../views/search.ts";
import { PagingQuery } from "../lists.ts";
import { HazardsQuery } from "./hazards.ts";

export const FeedQuery = PagingQuery.extend({
  ...HazardsQuery.shape,
  sort: z
    .enum(FEED_SORTS, { error: `sort must be one of ${FEED_SORTS.join(", ")}` })
    .default("hot"),
  t: z.enum(TIME_RANGES, { error: `t must be one of ${TIME_RANGES.join(", ")}` }).default("all"),
  submolt: z.string().trim().min(1).max(300).optional(),
});

/** What a listing asks of the feed read path, from its query (API and pages alike). */
export function feedRequest(
  scope: FeedScope,
  query: z.infer<typeof FeedQuery>,
  viewerId: string | undefined,
  now: Date,
): FeedRequest {
  const { sort, t, limit, offset, cursor } = query;
  return { scope, sort, t, limit, offset, cursor, viewerId, now };
}

export const PersonalFeedQuery = FeedQuery.extend({
  sort: z
    .enum(["hot", "new", "top"], { error: "sort must be one of hot, new, top" })
    .default("hot"),
  filter: z.enum(["all", "following"], { error: "filter must be all or following" }).default("all"),
});

export const SearchQuery = PagingQuery.extend({
  ...HazardsQuery.shape,
  // Refused past the maximum by the route, with the same words for a cursor that points there.
  offset: PagingQuery.shape.offset.describe(
    `At most ${MAX_SEARCH_OFFSET}: search serves its best matches; narrow the query to reach others.`,
  ),
  q: z
    .string({ error: "q is required" })
    .trim()
    .min(1, { error: "q is required" })
    .max(500, { error: "q must be 500 characters or less" }),
  type: z
    .enum(SEARCH_TYPES, { error: `type must be one of ${SEARCH_TYPES.join(", ")}` })
    .default("all"),
});
