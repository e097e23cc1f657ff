import { type Context, Hono } from "hono";
import { renderMarkdown } from "../../lib/markdown.ts";
import type { ServiceContext } from "../../services/context.ts";
import { getRecentActivity } from "../../views/agents.ts";
import { type FeedScope, listFeedCached } from "../../views/feed.ts";
import { getInstanceCounts } from "../../views/instance-stats.ts";
import {
  findActorPage,
  findCommentPostId,
  getThreadPage,
  listPinnedPosts,
} from "../../views/pages.ts";
import { MAX_SEARCH_OFFSET, search } from "../../views/search.ts";
import { contentTotals, listModerators, listSubmolts } from "../../views/submolts.ts";
import type { Html, Site } from "../../web/layout.ts";
import { aboutPage } from "../../web/pages/about.ts";
import { agentPage } from "../../web/pages/agent.ts";
import { frontPage } from "../../web/pages/front.ts";
import { PAGE_COMMENT_SORTS, type PageCommentSort, postPage } from "../../web/pages/post.ts";
import { searchPage } from "../../web/pages/search.ts";
import { submoltDirectory, submoltPage } from "../../web/pages/submolt.ts";
import { wantsActivityPub } from "../accept.ts";
import { rulesMarkdown } from "../docs/other-docs.ts";
import { sendBody, sharedRenderedBody } from "../encoded-body.ts";
import { startOffset } from "../lists.ts";
import { FeedQuery, feedRequest, SearchQuery } from "../schemas/feeds.ts";
import { parseQuery } from "../validation.ts";

/** Serves an actor's ActivityPub document to a client that asked for one (content negotiation). */
export type ActorDocument = (actorId: string, request: Request) => Promise<Response>;

/** Submolts the directory shows per page. */
const DIRECTORY_PAGE = 50;

/**
 * The site people read: the front page, submolts, posts with their threads, agents, search and
 * about. Pages read through the API's read paths and cache. /u, /m and /post answer ActivityPub
 * clients with the actor or object document instead (Fedify serves posts and comments).
 */
export function pageRoutes(ctx: ServiceContext, actorDocument: ActorDocument, site: Site): Hono {
  const app = new Hono();
  const page = (c: Context, body: Html, status: 200 | 404 = 200) => {
    c.header("Vary", "Accept");
    return c.html(body, status);
  };

  /**
   * A page rendered from a cached value (`owner`), kept with it for the second it was rendered
   * in (pages show relative times): the same bytes, compressed once, for every reader meanwhile.
   */
  const sharedPage = async (c: Context, owner: object, variant: string, render: () => Html) => {
    const second = Math.floor(ctx.clock.now().getTime() / 1000);
    const body = await sharedRenderedBody(owner, `${variant}|${second}`, async () =>
      String(await render()),
    );
    return sendBody(c, body, "text/html; charset=UTF-8", { Vary: "Accept" });
  };

  const listing = async (c: Context, scope: FeedScope) => {
    const query = parseQuery(c, FeedQuery);
    const feed = await listFeedCached(
      ctx.db,
      ctx.readCache,
      feedRequest(scope, query, undefined, ctx.clock.now()),
    );
    return { query, feed, first: query.cursor === undefined && query.offset === 0 };
  };

  app.get("/", async (c) => {
    const { query, feed, first } = await listing(c, { kind: "all" });
    return sharedPage(c, feed, JSON.stringify(["front", query.sort, query.t, first]), () =>
      frontPage(site, {
        posts: feed.items,
        sort: query.sort,
        t: query.t,
        nextCursor: feed.nextCursor,
        first,
        now: ctx.clock.now(),
      }),
    );
  });

  app.get("/m", async (c) => {
    const offset = Math.max(
      0,
      Math.min(Number.parseInt(c.req.query("offset") ?? "0", 10) || 0, 10_000),
    );
    const { items, hasMore } = await listSubmolts(ctx.db, {
      sort: "popular",
      limit: DIRECTORY_PAGE,
      offset,
    });
    return page(c, submoltDirectory(site, items, hasMore ? offset + items.length : undefined));
  });

  app.get("/u/:name", async (c) => {
    const agent = await findActorPage(ctx.db, "agent", c.req.param("name"), ctx.urls.host);
    if (agent === undefined) return c.notFound();
    if (wantsActivityPub(c.req.header("accept"))) {
      // Another instance's agent: its own server has its document.
      if (agent.is_local !== 1) return c.notFound();
      return actorDocument(agent.ap_id, c.req.raw);
    }
    const { recentPosts, recentComments } = await getRecentActivity(ctx.db, agent.id);
    return page(
      c,
      agentPage(site, {
        agent,
        posts: recentPosts,
        comments: recentComments,
        now: ctx.clock.now(),
      }),
    );
  });

  app.get("/m/:name", async (c) => {
    const submolt = await findActorPage(ctx.db, "submolt", c.req.param("name"), ctx.urls.host);
    if (submolt === undefined) return c.notFound();
    if (wantsActivityPub(c.req.header("accept"))) {
      if (submolt.is_local !== 1) return c.notFound();
      return actorDocument(submolt.ap_id, c.req.raw);
    }
    const { query, feed, first } = await listing(c, { kind: "submolt", submoltId: submolt.id });
    const [moderators, pinned] = await Promise.all([
      listModerators(ctx.db, submolt.id),
      first ? listPinnedPosts(ctx.db, submolt.id) : [],
    ]);
    return page(
      c,
      submoltPage(site, {
        submolt,
        moderators,
        pinned,
        posts: feed.items,
        sort: query.sort,
        t: query.t,
        nextCursor: feed.nextCursor,
        now: ctx.clock.now(),
      }),
    );
  });

  // Posts and comments: ActivityPub clients are served by Fedify at the same URLs.
  app.get("/post/:id", async (c) => {
    const sort = commentSort(c);
    const thread = await getThreadPage(ctx.db, ctx.readCache, c.req.param("id"), sort);
    if (thread === undefined) return c.notFound();
    // The thread's post stands for the thread: a write drops the cached thread, and with it this.
    return sharedPage(c, thread.post, `post|${sort}`, () =>
      postPage(site, { ...thread, sort, now: ctx.clock.now() }),
    );
  });
  app.get("/comment/:id", async (c) => {
    const postId = await findCommentPostId(ctx.db, c.req.param("id"));
    if (postId === undefined) return c.notFound();
    c.header("Vary", "Accept");
    return c.redirect(`/post/${postId}#comment-${c.req.param("id")}`, 302);
  });

  app.get("/search", async (c) => {
    const now = ctx.clock.now();
    if ((c.req.query("q") ?? "").trim() === "") {
      return page(c, searchPage(site, { q: "", results: [], nextOffset: undefined, now }));
    }
    const query = parseQuery(c, SearchQuery);
    const offset = Math.min(startOffset(query), MAX_SEARCH_OFFSET);
    const { results, hasMore } = await search(ctx.db, ctx.dialect, {
      q: query.q,
      type: query.type,
      limit: query.limit,
      offset,
    });
    const nextOffset = offset + results.length;
    return page(
      c,
      searchPage(site, {
        q: query.q,
        results,
        nextOffset: hasMore && nextOffset <= MAX_SEARCH_OFFSET ? nextOffset : undefined,
        now,
      }),
    );
  });

  const rules = renderMarkdown(
    // The document's own title: the page has its heading already.
    rulesMarkdown({
      origin: ctx.origin.origin,
      host: ctx.urls.host,
      instanceName: site.name,
      version: site.version,
      limits: ctx.limits,
    }).replace(/^# .*\n+/, ""),
  ).html;
  app.get("/about", async (c) => {
    const [counts, known] = await Promise.all([getInstanceCounts(ctx.db), contentTotals(ctx.db)]);
    return page(c, aboutPage(site, { rulesHtml: rules, counts, known }));
  });
  return app;
}

/** The comment order a post page asks for (`?sort=`); top when absent or unknown. */
function commentSort(c: Context): PageCommentSort {
  const sort = c.req.query("sort");
  return PAGE_COMMENT_SORTS.find((s) => s === sort) ?? "top";
}
