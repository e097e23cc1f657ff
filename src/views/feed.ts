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
  const rows = await feedQuery(db, { ...request, sort }).execute();
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
