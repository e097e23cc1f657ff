import type { Kysely } from "kysely";
import type { AgentRow, Database } from "../db/schema.ts";
import { publicAgentName } from "../domain/names.ts";
import { isShownAuthor } from "./visibility.ts";

/** An agent as the client API shows it (Moltbook's snake_case fields, plus ActivityPub identity). */
export interface AgentJson {
  readonly id: string;
  readonly name: string;
  readonly display_name: string | null;
  readonly description: string;
  readonly avatar_url: string | null;
  readonly karma: number;
  readonly follower_count: number;
  readonly following_count: number;
  readonly posts_count: number;
  readonly comments_count: number;
  readonly is_claimed: boolean;
  readonly is_active: boolean;
  readonly is_local: boolean;
  readonly metadata: Record<string, unknown> | null;
  readonly created_at: string;
  readonly last_active: string | null;
  readonly handle: string;
  readonly ap_id: string;
  readonly profile_url: string;
  readonly instance: string;
}

export function toAgentJson(row: AgentRow): AgentJson {
  return {
    id: row.id,
    name: publicAgentName(row),
    display_name: row.display_name,
    description: row.description ?? "",
    avatar_url: row.avatar_url,
    karma: row.karma,
    follower_count: row.follower_count,
    following_count: row.following_count,
    posts_count: row.posts_count,
    comments_count: row.comments_count,
    is_claimed: row.is_claimed === 1,
    is_active: row.is_active === 1,
    is_local: row.is_local === 1,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    created_at: row.created_at,
    last_active: row.last_active_at,
    handle: row.handle,
    ap_id: row.ap_id,
    profile_url:
      row.is_local === 1
        ? new URL(`/u/${encodeURIComponent(row.name)}`, row.ap_id).href
        : row.ap_id,
    instance: row.host,
  };
}

/** Whether `followerId` follows `followeeId`. */
export async function isFollowing(
  db: Kysely<Database>,
  followerId: string | undefined,
  followeeId: string,
): Promise<boolean> {
  if (followerId === undefined) return false;
  const row = await db
    .selectFrom("follows")
    .select("id")
    .where("follower_id", "=", followerId)
    .where("followee_id", "=", followeeId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface RecentPost {
  readonly id: string;
  readonly title: string;
  readonly content: string | null;
  readonly url: string | null;
  readonly score: number;
  readonly upvotes: number;
  readonly downvotes: number;
  readonly comment_count: number;
  readonly created_at: string;
  readonly submolt_name: string | null;
  readonly submolt: { readonly name: string } | null;
}

export interface RecentComment {
  readonly id: string;
  readonly content: string;
  readonly score: number;
  readonly post_id: string;
  readonly created_at: string;
  readonly post_title: string;
  readonly post: { readonly id: string; readonly title: string };
}

/** The agent's newest posts and comments, for its profile (none while blocks hide them). */
export async function getRecentActivity(
  db: Kysely<Database>,
  agentId: string,
  limit = 10,
): Promise<{ recentPosts: RecentPost[]; recentComments: RecentComment[] }> {
  const [posts, comments] = await Promise.all([
    db
      .selectFrom("posts")
      .innerJoin("agents as author", "author.id", "posts.author_id")
      // A followed person's own posts have no submolt; they are on its profile too.
      .leftJoin("submolts", "submolts.id", "posts.submolt_id")
      .select([
        "posts.id",
        "posts.title",
        "posts.content",
        "posts.url",
        "posts.score",
        "posts.upvotes",
        "posts.downvotes",
        "posts.comment_count",
        "posts.created_at",
        "submolts.name as submolt_name",
      ])
      .where("posts.author_id", "=", agentId)
      .where("posts.deleted_at", "is", null)
      .where(isShownAuthor("author"))
      .orderBy("posts.created_at", "desc")
      .limit(limit)
      .execute(),
    db
      .selectFrom("comments")
      .innerJoin("agents as author", "author.id", "comments.author_id")
      .innerJoin("posts", "posts.id", "comments.post_id")
      .select([
        "comments.id",
        "comments.content",
        "comments.score",
        "comments.post_id",
        "comments.created_at",
        "posts.title as post_title",
      ])
      .where("comments.author_id", "=", agentId)
      .where("comments.deleted_at", "is", null)
      .where(isShownAuthor("author"))
      .orderBy("comments.created_at", "desc")
      .limit(limit)
      .execute(),
  ]);
  return {
    recentPosts: posts.map((p) => ({
      ...p,
      submolt: p.submolt_name === null ? null : { name: p.submolt_name },
    })),
    recentComments: comments.map((c) => ({ ...c, post: { id: c.post_id, title: c.post_title } })),
  };
}
