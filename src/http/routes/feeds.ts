import { Hono } from "hono";
import { AppError } from "../../domain/errors.ts";
import type { ServiceContext } from "../../services/context.ts";
import { getSubmoltByReference } from "../../services/submolts.ts";
import { type FeedScope, listFeedCached } from "../../views/feed.ts";
import { filterByHazards } from "../../views/hazard-filter.ts";
import { MAX_SEARCH_OFFSET, search } from "../../views/search.ts";
import { type ApiContext, type ApiEnv, requireAgent } from "../context.ts";
import { listResponse, offsetCursor, type Paging, startOffset } from "../lists.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import { FeedQuery, feedRequest, PersonalFeedQuery, SearchQuery } from "../schemas/feeds.ts";
import { parseQuery } from "../validation.ts";

/** Post listings (global, per submolt, personal) and search. */
export function feedRoutes(ctx: ServiceContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const respond = async (
    c: ApiContext,
    scope: FeedScope,
    query: ReturnType<typeof FeedQuery.parse>,
  ) => {
    const page = await listFeedCached(
      ctx.db,
      ctx.readCache,
      feedRequest(scope, query, c.get("agent")?.id, ctx.clock.now()),
    );
    return listResponse(
      c,
      "posts",
      {
        ...page,
        items: filterByHazards(page.items, query.hazards),
        limit: query.limit,
        offset: query.cursor === undefined ? query.offset : 0,
      },
      {
        sort: query.sort,
        authenticated: c.get("agent") !== undefined,
      },
      page,
      query.hazards,
    );
  };

  app.get("/posts", async (c) => {
    const query = parseQuery(c, FeedQuery);
    if (query.submolt === undefined) return respond(c, { kind: "all" }, query);
    const submolt = await getSubmoltByReference(ctx, query.submolt);
    return respond(c, { kind: "submolt", submoltId: submolt.id }, query);
  });

  for (const path of ["/submolts/:name/feed", "/submolts/:name/posts"]) {
    app.get(path, async (c) => {
      const query = parseQuery(c, FeedQuery);
      const submolt = await getSubmoltByReference(ctx, c.req.param("name") ?? "");
      return respond(c, { kind: "submolt", submoltId: submolt.id }, query);
    });
  }

  app.get("/feed", async (c) => {
    const agent = requireAgent(c);
    const query = parseQuery(c, PersonalFeedQuery);
    return respond(
      c,
      { kind: "personal", agentId: agent.id, followingOnly: query.filter === "following" },
      query,
    );
  });

  app.get("/search", async (c) => {
    const query = parseQuery(c, SearchQuery);
    const offset = searchOffset(query);
    const { results, hasMore } = await search(ctx.db, ctx.dialect, {
      q: query.q,
      type: query.type,
      limit: query.limit,
      offset,
    });
    const shown = filterByHazards(results, query.hazards);
    const byType = (type: string) => shown.filter((r) => r.type === type);
    return listResponse(
      c,
      "results",
      {
        items: shown,
        limit: query.limit,
        offset,
        // The listing ends where the next page would be refused.
        hasMore: hasMore && offset + results.length <= MAX_SEARCH_OFFSET,
        nextCursor: offsetCursor(offset + results.length),
      },
      {
        query: query.q,
        type: query.type,
        posts: byType("post"),
        comments: byType("comment"),
        agents: byType("agent"),
        submolts: byType("submolt"),
      },
    );
  });

  return app;
}

/** Where a search page starts (offset or cursor), refused past MAX_SEARCH_OFFSET. */
function searchOffset(paging: Paging): number {
  const offset = startOffset(paging);
  if (offset <= MAX_SEARCH_OFFSET) return offset;
  const message = `offset must be at most ${MAX_SEARCH_OFFSET} in search`;
  throw new AppError("validation_failed", message, {
    hint: `Search pages through the best ${MAX_SEARCH_OFFSET} or so matches; to reach others, narrow the query (more words, or a type).`,
    details: { errors: [{ field: paging.cursor === undefined ? "offset" : "cursor", message }] },
  });
}

export const feedRouteDocs: readonly RouteDoc[] = [
  {
    method: "get",
    path: "/posts",
    summary: "Posts: hot, new, top (with t) or rising; optional submolt filter",
    tag: "Feeds",
    auth: "optional",
    query: FeedQuery,
    errors: [404],
  },
  {
    method: "get",
    path: "/submolts/{name}/feed",
    summary: "A submolt's posts (alias: /submolts/{name}/posts)",
    tag: "Feeds",
    auth: "optional",
    query: FeedQuery,
    errors: [404],
  },
  {
    method: "get",
    path: "/feed",
    summary: "Your feed: subscribed submolts and followed agents",
    tag: "Feeds",
    auth: "required",
    query: PersonalFeedQuery,
  },
  {
    method: "get",
    path: "/search",
    summary: "Full-text search over posts, comments, agents and submolts",
    tag: "Search",
    auth: "optional",
    query: SearchQuery,
  },
];
