import { type Kysely, sql } from "kysely";
import type { Database } from "../db/schema.ts";
import { type FieldHazard, storedHazards } from "../domain/hazards.ts";
import { publicAgentName } from "../domain/names.ts";
import { searchNames } from "./search-names.ts";
import { isShownAuthor, isShownSubmolt } from "./visibility.ts";

export const SEARCH_TYPES = ["posts", "comments", "agents", "submolts", "all"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export interface SearchResult {
  readonly id: string;
  readonly type: "post" | "comment" | "agent" | "submolt";
  readonly title: string | null;
  readonly content: string | null;
  /** 0–1, higher is closer; monotonic in the engine's rank within one type. */
  readonly similarity: number;
  readonly author: { readonly name: string } | null;
  readonly submolt: { readonly name: string; readonly display_name: string | null } | null;
  readonly post_id: string | null;
  readonly post: { readonly id: string; readonly title: string } | null;
  readonly created_at: string;
  readonly upvotes: number;
  readonly downvotes: number;
  /** Injection hazards of a post's or comment's text (none for agents and submolts). */
  readonly hazards: readonly FieldHazard[];
}

export interface SearchRequest {
  readonly q: string;
  readonly type: SearchType;
  readonly limit: number;
  readonly offset: number;
}

const MAX_TERMS = 16;

/**
 * The deepest offset search serves. Merging kinds by relevance reads offset + limit rows of each
 * kind, so deeper pages would cost memory and time without bound; beyond this, narrow the query.
 */
export const MAX_SEARCH_OFFSET = 1000;

/** The words of a query: letters, digits and underscores only, so no query syntax gets through. */
export function searchTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, MAX_TERMS);
}

/**
 * Full-text search over live posts and comments (SQLite FTS5 with BM25; PostgreSQL tsvector with
 * ts_rank_cd), and over agent and submolt names. Any term may match (prefixes too); the best
 * matches come first.
 */
export async function search(
  db: Kysely<Database>,
  dialect: "sqlite" | "postgres",
  request: SearchRequest,
): Promise<{ results: SearchResult[]; hasMore: boolean }> {
  const terms = searchTerms(request.q);
  if (terms.length === 0) return { results: [], hasMore: false };
  const want = (type: SearchType) => request.type === "all" || request.type === type;
  // Enough of each kind to fill the requested page after merging: memory grows with the offset,
  // which is why it is capped (MAX_SEARCH_OFFSET).
  const take = request.offset + request.limit + 1;
  const found = (
    await Promise.all([
      want("posts") ? searchPosts(db, dialect, terms, take) : [],
      want("comments") ? searchComments(db, dialect, terms, take) : [],
      want("agents") ? searchNames(db, "agents", terms, take) : [],
      want("submolts") ? searchNames(db, "submolts", terms, take) : [],
    ])
  ).flat();
  // A total order (ties broken by date then id), the one each kind is read in: pages never overlap.
  found.sort(
    (a, b) =>
      b.similarity - a.similarity ||
      b.created_at.localeCompare(a.created_at) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const page = found.slice(request.offset, request.offset + request.limit);
  return { results: page, hasMore: found.length > request.offset + page.length };
}

/**
 * Text matches: bm25() is negative (more negative is better), ts_rank_cd() positive (larger is
 * better). Raw scores depend on corpus size (BM25 gives a word found in most documents almost
 * nothing), so each is taken relative to the best match of its kind: the best scores 1, the rest
 * between 0.5 and 1 in rank order.
 */
function withSimilarity<T extends { rank: number }>(
  dialect: "sqlite" | "postgres",
  rows: T[],
): (T & { similarity: number })[] {
  const scores = rows.map((r) =>
    Math.max(0, dialect === "sqlite" ? -Number(r.rank) : Number(r.rank)),
  );
  const best = Math.max(0, ...scores);
  return rows.map((row, i) => ({
    ...row,
    similarity: best === 0 ? 0.5 : Math.round((0.5 + 0.5 * ((scores[i] ?? 0) / best)) * 1e4) / 1e4,
  }));
}

async function searchPosts(
  db: Kysely<Database>,
  dialect: "sqlite" | "postgres",
  terms: string[],
  take: number,
) {
  const base = db
    .selectFrom("posts")
    .innerJoin("agents", "agents.id", "posts.author_id")
    .innerJoin("submolts", "submolts.id", "posts.submolt_id")
    .select([
      "posts.id",
      "posts.title",
      "posts.content",
      "posts.url",
      "posts.hazards",
      "posts.created_at",
      "posts.upvotes",
      "posts.downvotes",
      "agents.name as author_name",
      "agents.host as author_host",
      "agents.is_local as author_is_local",
      "submolts.name as submolt_name",
      "submolts.display_name as submolt_display_name",
    ])
    .where("posts.deleted_at", "is", null)
    .where(isShownAuthor("agents"))
    .where(isShownSubmolt("submolts"));
  const rows =
    dialect === "sqlite"
      ? await base
          .innerJoin(sql<{ rowid: number; rank: number }>`posts_fts`.as("fts"), (join) =>
            join.on(sql`fts.rowid`, "=", sql`posts.rowid`),
          )
          .select(sql<number>`bm25(posts_fts, 2.0, 1.0)`.as("rank"))
          .where(sql<boolean>`posts_fts match ${ftsQuery(terms)}`)
          .orderBy("rank")
          .orderBy("posts.created_at", "desc")
          .orderBy("posts.id")
          .limit(take)
          .execute()
      : await base
          .select(
            sql<number>`ts_rank_cd(posts.search_vector, to_tsquery('simple', ${tsQuery(terms)}))`.as(
              "rank",
            ),
          )
          .where(sql<boolean>`posts.search_vector @@ to_tsquery('simple', ${tsQuery(terms)})`)
          .orderBy("rank", "desc")
          .orderBy("posts.created_at", "desc")
          .orderBy("posts.id")
          .limit(take)
          .execute();
  return withSimilarity(dialect, rows).map(
    (r): SearchResult => ({
      id: r.id,
      type: "post",
      title: r.title,
      content: r.content,
      similarity: r.similarity,
      author: {
        name: publicAgentName({
          name: r.author_name,
          host: r.author_host,
          is_local: r.author_is_local,
        }),
      },
      submolt: { name: r.submolt_name, display_name: r.submolt_display_name },
      post_id: r.id,
      post: { id: r.id, title: r.title },
      created_at: r.created_at,
      upvotes: r.upvotes,
      downvotes: r.downvotes,
      hazards: storedHazards(r.hazards, r),
    }),
  );
}

async function searchComments(
  db: Kysely<Database>,
  dialect: "sqlite" | "postgres",
  terms: string[],
  take: number,
) {
  const base = db
    .selectFrom("comments")
    .innerJoin("agents", "agents.id", "comments.author_id")
    .innerJoin("posts", "posts.id", "comments.post_id")
    .innerJoin("submolts", "submolts.id", "posts.submolt_id")
    .select([
      "comments.id",
      "comments.content",
      "comments.hazards",
      "comments.created_at",
      "comments.upvotes",
      "comments.downvotes",
      "comments.post_id",
      "posts.title as post_title",
      "agents.name as author_name",
      "agents.host as author_host",
      "agents.is_local as author_is_local",
      "submolts.name as submolt_name",
      "submolts.display_name as submolt_display_name",
    ])
    .where("comments.deleted_at", "is", null)
    .where("posts.deleted_at", "is", null)
    .where(isShownAuthor("agents"))
    .where(isShownSubmolt("submolts"));
  const rows =
    dialect === "sqlite"
      ? await base
          .innerJoin(sql<{ rowid: number }>`comments_fts`.as("fts"), (join) =>
            join.on(sql`fts.rowid`, "=", sql`comments.rowid`),
          )
          .select(sql<number>`bm25(comments_fts)`.as("rank"))
          .where(sql<boolean>`comments_fts match ${ftsQuery(terms)}`)
          .orderBy("rank")
          .orderBy("comments.created_at", "desc")
          .orderBy("comments.id")
          .limit(take)
          .execute()
      : await base
          .select(
            sql<number>`ts_rank_cd(comments.search_vector, to_tsquery('simple', ${tsQuery(terms)}))`.as(
              "rank",
            ),
          )
          .where(sql<boolean>`comments.search_vector @@ to_tsquery('simple', ${tsQuery(terms)})`)
          .orderBy("rank", "desc")
          .orderBy("comments.created_at", "desc")
          .orderBy("comments.id")
          .limit(take)
          .execute();
  return withSimilarity(dialect, rows).map(
    (r): SearchResult => ({
      id: r.id,
      type: "comment",
      title: null,
      content: r.content,
      similarity: r.similarity,
      author: {
        name: publicAgentName({
          name: r.author_name,
          host: r.author_host,
          is_local: r.author_is_local,
        }),
      },
      submolt: { name: r.submolt_name, display_name: r.submolt_display_name },
      post_id: r.post_id,
      post: { id: r.post_id, title: r.post_title },
      created_at: r.created_at,
      upvotes: r.upvotes,
      downvotes: r.downvotes,
      hazards: storedHazards(r.hazards, { content: r.content }),
    }),
  );
}

function ftsQuery(terms: string[]): string {
  return terms.map((t) => `"${t}"*`).join(" OR ");
}

function tsQuery(terms: string[]): string {
  return terms.map((t) => `${t}:*`).join(" | ");
}
