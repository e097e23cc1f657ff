import type { Kysely } from "kysely";
import type { AgentRow, Database, SubmoltRow } from "../db/schema.ts";
import { getCommentTreeCached } from "./comments.ts";
import { type PostJson, postQuery, toPostJson } from "./posts.ts";
import type { ReadCache } from "./read-cache.ts";
import { getThreadCached, type Thread } from "./threads.ts";

/** A local agent or submolt by name (case-insensitive), for its public page. */
export async function findLocalActorPage(
  db: Kysely<Database>,
  kind: "agent" | "submolt",
  name: string,
  host: string,
): Promise<AgentRow | SubmoltRow | undefined> {
  const handle = `${name}@${host}`.toLowerCase();
  const table = kind === "agent" ? "agents" : "submolts";
  return db
    .selectFrom(table)
    .selectAll()
    .where("handle", "=", handle)
    .where("is_local", "=", 1)
    .executeTakeFirst();
}

/**
 * The stored HTML of remote content only: it was sanitized on receipt (lib/sanitize-html.ts).
 * A local row never has any: its text is its markdown.
 */
function _remoteHtml(row: { is_local: 0 | 1; content_html: string | null }): string | null {
  return row.is_local === 0 ? row.content_html : null;
}

/** The post a comment belongs to, to show the comment in its thread. */
export async function findCommentPostId(
  db: Kysely<Database>,
  commentId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom("comments")
    .select("post_id")
    .where("id", "=", commentId)
    .executeTakeFirst();
  return row?.post_id;
}

/**
 * An agent or submolt by what a page URL names: `name` is one of this instance's, `name@host`
 * any one known here (a remote one as this instance has seen it).
 */
export async function findActorPage<K extends "agent" | "submolt">(
  db: Kysely<Database>,
  kind: K,
  reference: string,
  host: string,
): Promise<(K extends "agent" ? AgentRow : SubmoltRow) | undefined> {
  const table = kind === "agent" ? "agents" : "submolts";
  const local = !reference.includes("@");
  const handle = (local ? `${reference}@${host}` : reference).toLowerCase();
  let query = db.selectFrom(table).selectAll().where("handle", "=", handle);
  if (local) query = query.where("is_local", "=", 1);
  return (await query.executeTakeFirst()) as
    | (K extends "agent" ? AgentRow : SubmoltRow)
    | undefined;
}

/**
 * The HTML of a thread's remote post and comments, by id: what their servers sent, sanitized on
 * receipt (lib/sanitize-html.ts). Local content has none: its text is its markdown.
 */
export async function remoteHtmlOfThread(
  db: Kysely<Database>,
  postId: string,
): Promise<Map<string, string>> {
  const [post, comments] = await Promise.all([
    db
      .selectFrom("posts")
      .select(["id", "content_html"])
      .where("id", "=", postId)
      .where("is_local", "=", 0)
      .where("content_html", "is not", null)
      .execute(),
    db
      .selectFrom("comments")
      .select(["id", "content_html"])
      .where("post_id", "=", postId)
      .where("is_local", "=", 0)
      .where("content_html", "is not", null)
      .execute(),
  ]);
  return new Map([...post, ...comments].map((row) => [row.id, row.content_html ?? ""]));
}

/** A submolt's pinned live posts, newest first, as listings show posts. */
export async function listPinnedPosts(
  db: Kysely<Database>,
  submoltId: string,
): Promise<PostJson[]> {
  const rows = await postQuery(db, undefined)
    .where("posts.submolt_id", "=", submoltId)
    .where("posts.is_pinned", "=", 1)
    .where("posts.deleted_at", "is", null)
    .orderBy("posts.created_at", "desc")
    .limit(10)
    .execute();
  return rows.map(toPostJson);
}

/** A post page's thread: the post, its comments in `sort` order, remote content's HTML. */
export interface ThreadPage extends Thread {
  readonly remoteHtml: ReadonlyMap<string, string>;
}

/** Top-level comments a post page shows. */
const PAGE_COMMENTS = 100;

/**
 * A post page's thread through the read cache the API uses: top order is the API's thread
 * (best and top are the same order); other orders are the cached trees of those orders.
 */
export async function getThreadPage(
  db: Kysely<Database>,
  cache: ReadCache,
  postId: string,
  sort: "top" | "new" | "controversial",
): Promise<ThreadPage | undefined> {
  const thread = await getThreadCached(db, cache, postId, undefined);
  if (thread === undefined) return undefined;
  const [comments, remoteHtml] = await Promise.all([
    sort === "top"
      ? thread.comments
      : getCommentTreeCached(db, cache, thread.post.id, undefined, {
          sort,
          limit: PAGE_COMMENTS,
          offset: 0,
        }).then((tree) => tree?.comments ?? []),
    cache.get(JSON.stringify(["page-html", thread.post.id]), () =>
      remoteHtmlOfThread(db, thread.post.id),
    ),
  ]);
  return { post: thread.post, comments, remoteHtml };
}
