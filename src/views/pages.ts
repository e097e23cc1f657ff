import type { Kysely } from "kysely";
import type { AgentRow, Database, SubmoltRow } from "../db/schema.ts";
import { publicAgentName } from "../domain/names.ts";
import { getCommentTree } from "./comments.ts";
import { type PostJson, postQuery, toPostJson } from "./posts.ts";
import type { ReadCache } from "./read-cache.ts";
import { getThreadCached, type Thread } from "./threads.ts";
import { isShownAuthor, isShownSubmolt } from "./visibility.ts";

export interface PostSummary {
  readonly id: string;
  readonly title: string;
  readonly score: number;
  readonly comment_count: number;
  readonly created_at: string;
  /** Bare when local, `name@host` when remote. */
  readonly author_name: string;
  /** The author's page: here for a local agent, its own server's for a remote one. */
  readonly author_url: string;
  readonly submolt_name: string;
}

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

/** The newest live posts by an agent or in a submolt. */
export async function recentPostSummaries(
  db: Kysely<Database>,
  filter: { authorId: string } | { submoltId: string },
  limit = 25,
): Promise<PostSummary[]> {
  let query = db
    .selectFrom("posts")
    .innerJoin("agents", "agents.id", "posts.author_id")
    .innerJoin("submolts", "submolts.id", "posts.submolt_id")
    .select([
      "posts.id",
      "posts.title",
      "posts.score",
      "posts.comment_count",
      "posts.created_at",
      "agents.name",
      "agents.host",
      "agents.is_local",
      "agents.ap_id",
      "submolts.name as submolt_name",
    ])
    .where("posts.deleted_at", "is", null)
    .where(isShownAuthor("agents"))
    .where(isShownSubmolt("submolts"));
  query =
    "authorId" in filter
      ? query.where("posts.author_id", "=", filter.authorId)
      : query.where("posts.submolt_id", "=", filter.submoltId);
  const rows = await query.orderBy("posts.created_at", "desc").limit(limit).execute();
  return rows.map(({ name, host, is_local, ap_id, ...post }) => ({
    ...post,
    author_name: publicAgentName({ name, host, is_local }),
    author_url: is_local === 1 ? `/u/${encodeURIComponent(name)}` : ap_id,
  }));
}

export interface PostPage {
  readonly post: {
    id: string;
    ap_id: string;
    title: string;
    content: string | null;
    /** A remote post's HTML, sanitized on receipt; null for a local post or one without. */
    content_html: string | null;
    url: string | null;
    score: number;
    created_at: string;
    author_name: string;
    author_handle: string;
    submolt_name: string;
    submolt_handle: string;
  };
  readonly comments: readonly {
    id: string;
    content: string;
    /** A remote comment's HTML, sanitized on receipt; null for a local comment or one without. */
    content_html: string | null;
    depth: number;
    author_handle: string;
    deleted: boolean;
  }[];
}

/** A live post held here (local or remote) with its comments in thread order, for its page. */
export async function findPostPage(
  db: Kysely<Database>,
  postId: string,
): Promise<PostPage | undefined> {
  const post = await db
    .selectFrom("posts")
    .innerJoin("agents", "agents.id", "posts.author_id")
    .innerJoin("submolts", "submolts.id", "posts.submolt_id")
    .select([
      "posts.id",
      "posts.ap_id",
      "posts.title",
      "posts.content",
      "posts.content_html",
      "posts.is_local",
      "posts.url",
      "posts.score",
      "posts.created_at",
      "agents.name as author_name",
      "agents.handle as author_handle",
      "submolts.name as submolt_name",
      "submolts.handle as submolt_handle",
    ])
    .where("posts.id", "=", postId)
    .where("posts.deleted_at", "is", null)
    .where(isShownAuthor("agents"))
    .where(isShownSubmolt("submolts"))
    .executeTakeFirst();
  if (post === undefined) return undefined;
  const { is_local, content_html, ...shown } = post;
  const rows = await db
    .selectFrom("comments")
    .innerJoin("agents", "agents.id", "comments.author_id")
    .select([
      "comments.id",
      "comments.parent_id",
      "comments.content",
      "comments.content_html",
      "comments.is_local",
      "comments.depth",
      "comments.deleted_at",
      "agents.handle as author_handle",
    ])
    .where(isShownAuthor("agents"))
    .where("comments.post_id", "=", postId)
    .orderBy("comments.created_at")
    .limit(1000)
    .execute();
  // Depth-first: each comment followed by its replies.
  const children = new Map<string | null, typeof rows>();
  for (const row of rows)
    children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row]);
  const ordered: PostPage["comments"][number][] = [];
  const walk = (parent: string | null) => {
    for (const row of children.get(parent) ?? []) {
      ordered.push({
        id: row.id,
        content: row.content,
        content_html: remoteHtml(row),
        depth: row.depth,
        author_handle: row.author_handle,
        deleted: row.deleted_at !== null,
      });
      walk(row.id);
    }
  };
  walk(null);
  return {
    post: { ...shown, content_html: remoteHtml({ is_local, content_html }) },
    comments: ordered,
  };
}

/**
 * The stored HTML of remote content only: it was sanitized on receipt (lib/sanitize-html.ts).
 * A local row never has any: its text is its markdown.
 */
function remoteHtml(row: { is_local: 0 | 1; content_html: string | null }): string | null {
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
 * (best and top are the same order); other orders are cached beside it per sort.
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
      : cache.get(JSON.stringify(["page-comments", thread.post.id, sort]), async () => {
          const tree = await getCommentTree(db, thread.post.id, undefined, {
            sort,
            limit: PAGE_COMMENTS,
            offset: 0,
          });
          return tree.comments;
        }),
    cache.get(JSON.stringify(["page-html", thread.post.id]), () =>
      remoteHtmlOfThread(db, thread.post.id),
    ),
  ]);
  return { post: thread.post, comments, remoteHtml };
}
