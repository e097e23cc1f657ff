import type { ServiceContext } from "../../services/context.ts";
import { type FeedScope, listFeedCached } from "../../views/feed.ts";
import { findLocalActorPage } from "../../views/pages.ts";
import { findRemotePostHtml } from "../../views/post-html.ts";
import type { FeedDocument } from "./document.ts";
import { toFeedEntries } from "./entries.ts";

/** Posts per feed: what readers expect, and one read of the listing. */
export const FEED_ITEMS = 50;

/** Which feed: the front page's, a local submolt's or a local agent's. */
export type FeedSource =
  | { readonly kind: "front" }
  | { readonly kind: "submolt"; readonly name: string }
  | { readonly kind: "agent"; readonly name: string };

/**
 * The feed of `source`, or undefined when it names no agent or submolt of this instance (remote
 * ones have feeds on their own servers).
 */
export async function loadFeed(
  ctx: ServiceContext,
  instanceName: string,
  source: FeedSource,
): Promise<FeedDocument | undefined> {
  const about = await describe(ctx, instanceName, source);
  if (about === undefined) return undefined;
  // NOTE: "new", not the front page's default "hot": a reader polls and shows each entry once,
  // by date. In "new" every post appears once, in publication order, and stays until 50 newer
  // ones push it out; "hot" reorders on every vote and drops young posts before a reader that
  // polls hourly has seen them.
  const page = await listFeedCached(ctx.db, ctx.readCache, {
    scope: about.scope,
    sort: "new",
    t: "all",
    limit: FEED_ITEMS,
    offset: 0,
    cursor: undefined,
    viewerId: undefined,
    now: ctx.clock.now(),
  });
  const remote = page.items.filter((post) => !post.is_local).map((post) => post.id);
  const remoteHtml = await findRemotePostHtml(ctx.db, ctx.readCache, remote);
  return {
    title: about.title,
    description: about.description,
    pageUrl: about.pageUrl,
    feedUrl: about.feedUrl,
    entries: toFeedEntries(page.items, remoteHtml, ctx.urls),
  };
}

interface About {
  readonly scope: FeedScope;
  readonly title: string;
  readonly description: string;
  readonly pageUrl: string;
  readonly feedUrl: string;
}

async function describe(
  ctx: ServiceContext,
  instanceName: string,
  source: FeedSource,
): Promise<About | undefined> {
  if (source.kind === "front") {
    const pageUrl = new URL("/", ctx.origin).href;
    return {
      scope: { kind: "all" },
      title: instanceName,
      description: `The newest posts on ${instanceName} and the instances it federates with`,
      pageUrl,
      feedUrl: new URL("/feed", ctx.origin).href,
    };
  }
  const row = await findLocalActorPage(ctx.db, source.kind, source.name, ctx.urls.host);
  if (row === undefined) return undefined;
  const name = row.display_name ?? row.name;
  if (source.kind === "agent") {
    const pageUrl = ctx.urls.agentPage(row.name);
    return {
      scope: { kind: "author", authorId: row.id },
      title: `${name} (@${row.handle})`,
      description: row.description || `The newest posts by ${name} on ${instanceName}`,
      pageUrl,
      feedUrl: `${pageUrl}/feed`,
    };
  }
  const pageUrl = ctx.urls.submoltPage(row.name);
  return {
    scope: { kind: "submolt", submoltId: row.id },
    title: `m/${row.name}: ${name}`,
    description: row.description || `The newest posts in m/${row.name} on ${instanceName}`,
    pageUrl,
    feedUrl: `${pageUrl}/feed`,
  };
}
