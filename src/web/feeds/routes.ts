import { Hono } from "hono";
import type { ServiceContext } from "../../services/context.ts";
import { ATOM_TYPE, renderAtom } from "./atom.ts";
import { isNotModified, type Validated, validated } from "./conditional.ts";
import { type FeedDocument, lastUpdated } from "./document.ts";
import { RSS_TYPE, renderRss } from "./rss.ts";
import { type FeedSource, loadFeed } from "./sources.ts";

const FORMATS = {
  rss: { type: RSS_TYPE, render: renderRss },
  atom: { type: ATOM_TYPE, render: renderAtom },
} as const satisfies Record<string, { type: string; render: (feed: FeedDocument) => string }>;

// Readers poll; five minutes spares the instance without delaying news much (ETag and
// Last-Modified make the polls after that cheap).
const CACHE_CONTROL = "public, max-age=300";

/**
 * Feeds for readers, RSS 2.0 and Atom: the front page (/feed.rss, /feed.atom), each local
 * submolt's (/m/{name}/feed.*) and each local agent's (/u/{name}/feed.*).
 */
export function readerFeedRoutes(ctx: ServiceContext, instanceName: string): Hono {
  const app = new Hono();
  const sources: [string, (name: string) => FeedSource][] = [
    ["/feed", () => ({ kind: "front" })],
    ["/m/:name/feed", (name) => ({ kind: "submolt", name })],
    ["/u/:name/feed", (name) => ({ kind: "agent", name })],
  ];
  for (const [path, sourceOf] of sources) {
    for (const [ext, format] of Object.entries(FORMATS)) {
      app.get(`${path}.${ext}`, async (c) => {
        const source = sourceOf(c.req.param("name") ?? "");
        // The rendered document is shared by every reader until a write (see ReadCache).
        const feed = await ctx.readCache.get(
          JSON.stringify(["reader-feed", source, ext]),
          async (): Promise<Validated | undefined> => {
            const doc = await loadFeed(ctx, instanceName, source);
            return doc === undefined ? undefined : validated(format.render(doc), lastUpdated(doc));
          },
        );
        if (feed === undefined) return noSuchFeed();
        const headers = {
          "Cache-Control": CACHE_CONTROL,
          ETag: feed.etag,
          "Last-Modified": feed.lastModified.toUTCString(),
          // Public data: web-based readers may fetch it from their own origin.
          "Access-Control-Allow-Origin": "*",
        };
        if (isNotModified(c.req.raw, feed)) return c.body(null, 304, headers);
        return c.body(feed.body, 200, { ...headers, "Content-Type": format.type });
      });
    }
  }
  return app;
}

/** Readers show a status, not a body: plain text, not the API's JSON envelope. */
function noSuchFeed(): Response {
  return new Response("No such feed on this instance.\n", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}
