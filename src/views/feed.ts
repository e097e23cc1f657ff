import type { Expression, Kysely, SqlBool } from "kysely";
import type { Database } from "../db/schema.ts";
import { rangeStart, risingRank, type TimeRange } from "../domain/ranking.ts";
import { decodeCursor, encodeCursor, invalidCursor } from "./pagination.ts";
import { type PostJson, type PostListRow, postQuery, toPostJson } from "./posts.ts";

export const FEED_SORTS = ["hot", "new", "top", "rising"] as const;
export type FeedSort = (typeof FEED_SORTS)[number];

/** Which posts a listing shows. */
export type FeedScope =
  | { readonly kind: "all" }
  | { readonly kind: "submolt"; readonly submoltId: string }
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
  readonly items: PostJson[];
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
export async function listFeed(db: Kysely<Database>, request: FeedRequest): Promise<FeedPage> {
  const sort = request.sort;
  if (sort === "rising") return listRising(db, request);
  const rows = await feedRows(db, { ...request, sort });
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  const hasMore = rows.length > request.limit;
  const order = ORDERS[sort];
  return {
    items: page.map(toPostJson),
    hasMore,
    nextCursor:
      hasMore && last !== undefined
        ? encodeCursor({ sort: request.sort, key: order.key(last) })
        : null,
  };
}

type ListedRequest = FeedRequest & { sort: Exclude<FeedSort, "rising"> };

/** A page's rows, one more than asked (to tell whether more follow). */
async function feedRows(db: Kysely<Database>, request: ListedRequest): Promise<PostListRow[]> {
  const ids = await personalPageIds(db, request);
  if (ids === undefined) return feedQuery(db, request).execute();
  if (ids.length === 0) return [];
  let query = postQuery(db, request.viewerId).where("posts.id", "in", ids);
  for (const column of ORDERS[request.sort].columns) query = query.orderBy(column, "desc");
  return query.execute();
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
  const sources = [
    ...followees.map((f) => ({ column: "posts.author_id" as const, id: f.id })),
    ...submolts.map((s) => ({ column: "posts.submolt_id" as const, id: s.id })),
  ];
  const order = ORDERS[sort];
  const key =
    request.cursor === undefined ? undefined : decodeCursor(request.cursor, sort, order.parts).key;
  const candidates = new Map<string, readonly (string | number)[]>();
  for (let at = 0; at < sources.length; at += SOURCES_PER_STATEMENT) {
    const members = sources.slice(at, at + SOURCES_PER_STATEMENT).map(({ column, id }) => {
      let member = db
        .selectFrom("posts")
        .select((eb) => ["posts.id", eb.ref(order.columns[0]).as("sort_key")])
        .where(column, "=", id)
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
    for (const row of rows) candidates.set(row.id, [row.sort_key as string | number, row.id]);
  }
  return [...candidates]
    .sort(([, a], [, b]) => compareDescending(a, b))
    .slice(skip, window)
    .map(([id]) => id);
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
      return query;
    case "submolt":
      return query.where("posts.submolt_id", "=", scope.submoltId) as Q;
    case "personal":
      return query.where((eb) => {
        const followed: Expression<SqlBool> = eb(
          "posts.author_id",
          "in",
          db.selectFrom("follows").select("followee_id").where("follower_id", "=", scope.agentId),
        );
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
