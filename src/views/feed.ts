import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import type { Database } from "../db/schema.ts";
import { rangeStart, risingRank, type TimeRange } from "../domain/ranking.ts";
import { withBoostedBy } from "./boosts.ts";
import { decodeCursor, encodeCursor, invalidCursor } from "./pagination.ts";
import {
  type PostJson,
  type PostListRow,
  postQuery,
  toPostJson,
  toSharedPostJson,
} from "./posts.ts";
import type { ReadCache } from "./read-cache.ts";
import { readPostVotes } from "./viewer-votes.ts";

export const FEED_SORTS = ["hot", "new", "top", "rising"] as const;
export type FeedSort = (typeof FEED_SORTS)[number];

/** Which posts a listing shows. */
export type FeedScope =
  | { readonly kind: "all" }
  | { readonly kind: "submolt"; readonly submoltId: string }
  /** One agent's posts (its reader feed). */
  | { readonly kind: "author"; readonly authorId: string }
  /** Subscribed submolts and followed agents (`following`: followed agents only). */
  | { readonly kind: "personal"; readonly agentId: string; readonly followingOnly: boolean };

export interface FeedRequest {
  readonly scope: FeedScope;
  readonly sort: FeedSort;
  readonly t: TimeRange;
  readonly limit: number;
  readonly offset: number;
  readonly cursor: string | undefined;
  readonly viewerId: string | undefined;
  readonly now: Date;
}

export interface FeedPage {
  /** In a personal feed, posts a followed person boosted carry `boosted_by`. */
  readonly items: (PostJson & { readonly boosted_by?: string })[];
  readonly hasMore: boolean;
  readonly nextCursor: string | null;
}

/** Rising looks at this many of the hottest recent posts and reorders them. */
const RISING_WINDOW_HOURS = 48;
const RISING_CANDIDATES = 1000;

/**
 * One page of posts. hot/new/top page by keyset (the cursor) or by offset; every order ends
 * with the id so that pages never overlap. The ordering columns are indexed (see migrations).
 */
export async function listFeed(
  db: Kysely<Database>,
  request: FeedRequest,
  cache?: ReadCache,
): Promise<FeedPage> {
  const page = await listFeedPage(db, request, cache);
  const { scope } = request;
  if (scope.kind !== "personal") return page;
  return { ...page, items: await withBoostedBy(db, scope.agentId, page.items) };
}

async function listFeedPage(
  db: Kysely<Database>,
  request: FeedRequest,
  cache?: ReadCache,
): Promise<FeedPage> {
  const sort = request.sort;
  if (sort === "rising") return listRising(db, request);
  const rows = await feedRows(db, { ...request, sort }, cache);
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  const hasMore = rows.length > request.limit;
  const order = ORDERS[sort];
  return {
    items: page.map(toSharedPostJson),
    hasMore,
    nextCursor:
      hasMore && last !== undefined
        ? encodeCursor({ sort: request.sort, key: order.key(last) })
        : null,
  };
}

/**
 * listFeed through `cache`. The page as an anonymous viewer would see it comes from the cache:
 * for the listings every viewer shares (all posts, a submolt's), one page for all; for a personal
 * feed, the agent's page, read from each source's first posts and the posts themselves, which
 * are cached too (see feedRows). Either way the viewer's own votes are read afresh each time, so
 * `user_vote` is always the viewer's current vote.
 */
export async function listFeedCached(
  db: Kysely<Database>,
  cache: ReadCache,
  request: FeedRequest,
): Promise<FeedPage> {
  const { scope, sort, t, limit, offset, cursor } = request;
  // Rising and ranged top pages depend on the time too (hot and new ranks are stored).
  const second =
    sort === "rising" || (sort === "top" && t !== "all")
      ? Math.floor(request.now.getTime() / 1000)
      : null;
  const key = JSON.stringify(["feed", scope, sort, t, limit, offset, cursor ?? null, second]);
  // A personal page is the agent's own (its follows and subscriptions, what they boosted), kept
  // like the shared ones: a write to any table it reads drops it (see ReadCache).
  const page = await cache.get(key, () =>
    listFeed(
      db,
      { ...request, viewerId: undefined },
      scope.kind === "personal" ? cache : undefined,
    ),
  );
  if (request.viewerId === undefined) return page;
  const items = await withViewerVotes(db, request.viewerId, page.items);
  return items === page.items ? page : { ...page, items };
}

/**
 * The posts (as shared, without a viewer) with the viewer's own votes set, read afresh; the
 * same array when the viewer voted on none of them.
 */
async function withViewerVotes<T extends { readonly id: string }>(
  db: Kysely<Database>,
  viewerId: string,
  posts: T[],
): Promise<T[]> {
  if (posts.length === 0) return posts;
  const votes = await readPostVotes(
    db,
    viewerId,
    posts.map((post) => post.id),
  );
  if (votes.size === 0) return posts;
  return posts.map((post) => {
    const vote = votes.get(post.id);
    return vote === undefined ? post : { ...post, user_vote: vote };
  });
}

type ListedRequest = FeedRequest & { sort: Exclude<FeedSort, "rising"> };

/**
 * A page's rows, one more than asked (to tell whether more follow). With `cache`, a personal
 * page's posts come from it as an anonymous viewer sees them (the ones not cached read in one
 * statement), in the page's order, and the viewer's votes are added.
 */
async function feedRows(
  db: Kysely<Database>,
  request: ListedRequest,
  cache: ReadCache | undefined,
): Promise<PostListRow[]> {
  const ids = await personalPageIds(db, request, cache);
  if (ids === undefined) return feedQuery(db, request).execute();
  if (ids.length === 0) return [];
  if (cache === undefined) {
    let query = postQuery(db, request.viewerId).where("posts.id", "in", ids);
    for (const column of ORDERS[request.sort].columns) query = query.orderBy(column, "desc");
    return query.execute();
  }
  const cached = await cache.getMany(
    ids.map((id) => JSON.stringify(["post", id])),
    async (missing) => {
      const missingIds = missing.map((key) => (JSON.parse(key) as [string, string])[1]);
      const rows = await postQuery(db, undefined).where("posts.id", "in", missingIds).execute();
      return new Map(rows.map((row) => [JSON.stringify(["post", row.id]), row]));
    },
  );
  const rows = [...cached.values()].filter((row) => row !== undefined);
  if (request.viewerId === undefined) return rows;
  return withViewerVotes(db, request.viewerId, rows);
}

/** Personal pages deeper than this take the one-query path. */
const MAX_PERSONAL_WINDOW = 1000;
/** Sources (followed agents, subscribed submolts) read by one statement. */
const SOURCES_PER_STATEMENT = 100;

/**
 * The ids of a personal hot or new page, read source by source: each followed agent's and each
 * subscribed submolt's first posts in the order, through its (author_id | submolt_id, key, id)
 * index, merged here. The page's posts are among them, since a post that is not among its own
 * source's first `window` is not among the first `window` of all. One query over all posts
 * (feedQuery) would sort every post of every source instead: 200 ms at 10^6 posts (BENCHMARKS.md).
 * Undefined when the one-query path serves the request (other scopes, top, deep offsets).
 */
async function personalPageIds(
  db: Kysely<Database>,
  request: ListedRequest,
  cache: ReadCache | undefined,
): Promise<string[] | undefined> {
  const { scope, sort } = request;
  if (scope.kind !== "personal" || sort === "top") return undefined;
  const skip = request.cursor === undefined ? request.offset : 0;
  const window = skip + request.limit + 1;
  if (window > MAX_PERSONAL_WINDOW) return undefined;
  const followees = await db
    .selectFrom("follows")
    .select("followee_id as id")
    .where("follower_id", "=", scope.agentId)
    .execute();
  const submolts = scope.followingOnly
    ? []
    : await db
        .selectFrom("subscriptions")
        .select("submolt_id as id")
        .where("agent_id", "=", scope.agentId)
        .execute();
  const sources: Source[] = [
    ...followees.map((f) => ({ column: "posts.author_id" as const, id: f.id })),
    // What the followed boosted (people on Mastodon and kin).
    ...followees.map((f) => ({ column: "boosts.agent_id" as const, id: f.id })),
    ...submolts.map((s) => ({ column: "posts.submolt_id" as const, id: s.id })),
  ];
  const order = ORDERS[sort];
  const key =
    request.cursor === undefined ? undefined : decodeCursor(request.cursor, sort, order.parts).key;
  // One list per source: the same for every viewer who follows it, so cached as such.
  const keys = sources.map(({ column, id }) =>
    JSON.stringify(["source", column, id, sort, window, key ?? null]),
  );
  const read = (indexes: number[]) => readSources(db, sources, indexes, order, key, window);
  const lists =
    cache === undefined
      ? await read(sources.map((_, i) => i))
      : await cache.getMany(keys, async (missing) => {
          const wanted = new Set(missing);
          const found = await read(keys.flatMap((k, i) => (wanted.has(k) ? [i] : [])));
          return new Map(missing.map((k) => [k, found.get(keys.indexOf(k)) ?? []]));
        });
  const candidates = new Map<string, readonly (string | number)[]>();
  for (const list of lists.values()) {
    for (const row of list ?? []) candidates.set(row.id, [row.sort_key, row.id]);
  }
  return [...candidates]
    .sort(([, a], [, b]) => compareDescending(a, b))
    .slice(skip, window)
    .map(([id]) => id);
}

/** Where a personal feed's posts come from: an author, a booster, a submolt. */
interface Source {
  readonly column: "posts.author_id" | "posts.submolt_id" | "boosts.agent_id";
  readonly id: string;
}

interface SourceRow {
  readonly id: string;
  readonly sort_key: string | number;
}

/**
 * The first `window` posts, in `order` (after `key` when paging by cursor), of each source at
 * `indexes`, by index: UNION ALL statements of SOURCES_PER_STATEMENT sources, each member
 * tagged with its source.
 */
async function readSources(
  db: Kysely<Database>,
  sources: readonly Source[],
  indexes: readonly number[],
  order: (typeof ORDERS)["hot" | "new"],
  key: readonly (string | number)[] | undefined,
  window: number,
): Promise<Map<number, SourceRow[]>> {
  const lists = new Map<number, SourceRow[]>(indexes.map((i) => [i, []]));
  for (let at = 0; at < indexes.length; at += SOURCES_PER_STATEMENT) {
    const members = indexes.slice(at, at + SOURCES_PER_STATEMENT).map((index) => {
      const { column, id } = sources[index] as (typeof sources)[number];
      let member = db
        .selectFrom("posts")
        .select((eb) => [
          "posts.id",
          eb.ref(order.columns[0]).as("sort_key"),
          sql.lit(index).as("source"),
        ])
        .where((eb) =>
          column === "boosts.agent_id"
            ? eb(
                "posts.id",
                "in",
                db.selectFrom("boosts").select("boosts.post_id").where("boosts.agent_id", "=", id),
              )
            : eb(column, "=", id),
        )
        .where("posts.deleted_at", "is", null);
      if (key !== undefined) {
        member = member.where((eb) =>
          eb(
            eb.refTuple(...(order.refs as [never, never])),
            "<",
            eb.tuple(...(key as [never, never])),
          ),
        );
      }
      for (const c of order.columns) member = member.orderBy(c, "desc");
      // SQLite takes ORDER BY and LIMIT in a compound member only inside a subquery.
      return db.selectFrom(member.limit(window).as("source")).selectAll();
    });
    const [first, ...rest] = members;
    if (first === undefined) break;
    const rows = await rest.reduce((union, member) => union.unionAll(member), first).execute();
    for (const row of rows) {
      lists
        .get(Number(row.source))
        ?.push({ id: row.id, sort_key: row.sort_key as string | number });
    }
  }
  return lists;
}

function compareDescending(
  a: readonly (string | number)[],
  b: readonly (string | number)[],
): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x !== y) return x < y ? 1 : -1;
  }
  return 0;
}

/** The query behind a hot, new or top page (one row more than asked, to tell if more follow). */
export function feedQuery(
  db: Kysely<Database>,
  request: FeedRequest & { sort: Exclude<FeedSort, "rising"> },
) {
  const order = ORDERS[request.sort];
  let query = scoped(postQuery(db, request.viewerId), db, request.scope).where(
    "posts.deleted_at",
    "is",
    null,
  );
  if (request.sort === "top") {
    const start = rangeStart(request.t, request.now);
    if (start !== undefined) query = query.where("posts.created_at", ">=", start.toISOString());
  }
  if (request.cursor !== undefined) {
    const { key } = decodeCursor(request.cursor, request.sort, order.parts);
    query = query.where((eb) =>
      eb(eb.refTuple(...(order.refs as [never, never])), "<", eb.tuple(...(key as [never, never]))),
    );
  } else if (request.offset > 0) {
    query = query.offset(request.offset);
  }
  for (const column of order.columns) query = query.orderBy(column, "desc");
  return query.limit(request.limit + 1);
}

const ORDERS = {
  hot: {
    columns: ["posts.hot_rank", "posts.id"],
    refs: ["posts.hot_rank", "posts.id"],
    parts: ["number", "string"],
    key: (row: PostListRow) => [row.hot_rank, row.id],
  },
  new: {
    columns: ["posts.created_at", "posts.id"],
    refs: ["posts.created_at", "posts.id"],
    parts: ["string", "string"],
    key: (row: PostListRow) => [row.created_at, row.id],
  },
  top: {
    columns: ["posts.score", "posts.created_at", "posts.id"],
    refs: ["posts.score", "posts.created_at", "posts.id"],
    parts: ["integer", "string", "string"],
    key: (row: PostListRow) => [row.score, row.created_at, row.id],
  },
} as const;

function scoped<Q extends ReturnType<typeof postQuery>>(
  query: Q,
  db: Kysely<Database>,
  scope: FeedScope,
): Q {
  switch (scope.kind) {
    case "all":
      // Posts outside submolts (a followed person's own) are for the feeds of their followers.
      // NOTE: on the joined submolt, not posts.submolt_id: the planner then joins as before and
      // walks posts_hot_rank_idx, where a test on posts.submolt_id tempts it to another index.
      return query.where("submolt.id", "is not", null) as Q;
    case "submolt":
      return query.where("posts.submolt_id", "=", scope.submoltId) as Q;
    case "author":
      return query.where("posts.author_id", "=", scope.authorId) as Q;
    case "personal":
      return query.where((eb) => {
        const followees = db
          .selectFrom("follows")
          .select("followee_id")
          .where("follower_id", "=", scope.agentId);
        const followed: Expression<SqlBool> = eb.or([
          eb("posts.author_id", "in", followees),
          eb(
            "posts.id",
            "in",
            db
              .selectFrom("boosts")
              .select("boosts.post_id")
              .where("boosts.agent_id", "in", followees),
          ),
        ]);
        if (scope.followingOnly) return followed;
        return eb.or([
          followed,
          eb(
            "posts.submolt_id",
            "in",
            db
              .selectFrom("subscriptions")
              .select("submolt_id")
              .where("agent_id", "=", scope.agentId),
          ),
        ]);
      }) as Q;
  }
}

/** Rising: score per age over the hottest posts of the last two days, paged by offset. */
async function listRising(db: Kysely<Database>, request: FeedRequest): Promise<FeedPage> {
  const since = new Date(request.now.getTime() - RISING_WINDOW_HOURS * 3_600_000).toISOString();
  const rows = await scoped(postQuery(db, request.viewerId), db, request.scope)
    .where("posts.deleted_at", "is", null)
    .where("posts.created_at", ">=", since)
    .orderBy("posts.hot_rank", "desc")
    .limit(RISING_CANDIDATES)
    .execute();
  const offset = request.cursor === undefined ? request.offset : risingOffset(request.cursor);
  const ranked = rows
    .map((row) => ({ row, rank: risingRank(row.score, new Date(row.created_at), request.now) }))
    .sort((a, b) => b.rank - a.rank || b.row.id.localeCompare(a.row.id));
  const page = ranked.slice(offset, offset + request.limit);
  const hasMore = offset + page.length < ranked.length;
  return {
    items: page.map(({ row }) => toPostJson(row)),
    hasMore,
    nextCursor: hasMore ? encodeCursor({ sort: "rising", key: [offset + page.length] }) : null,
  };
}

function risingOffset(cursor: string): number {
  const [offset] = decodeCursor(cursor, "rising", ["integer"]).key;
  if (typeof offset !== "number" || offset < 0) throw invalidCursor();
  return offset;
}
