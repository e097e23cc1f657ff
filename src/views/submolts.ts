import type { Kysely } from "kysely";
import type { Database, SubmoltRow } from "../db/schema.ts";

export const SUBMOLT_SORTS = ["popular", "new", "alphabetical"] as const;
export type SubmoltSort = (typeof SUBMOLT_SORTS)[number];

export function toSubmoltJson(row: SubmoltRow, ownerName: string | null = null) {
  return {
    id: row.id,
    name: row.name,
    display_name: row.display_name ?? row.name,
    description: row.description ?? "",
    subscriber_count: row.subscriber_count,
    post_count: row.post_count,
    avatar_url: row.avatar_url,
    banner_url: row.banner_url,
    banner_color: row.banner_color,
    theme_color: row.theme_color,
    owner: ownerName === null ? null : { name: ownerName },
    created_by: ownerName,
    created_at: row.created_at,
    updated_at: row.updated_at,
    handle: row.handle,
    ap_id: row.ap_id,
    instance: row.host,
    is_local: row.is_local === 1,
  };
}

export type SubmoltJson = ReturnType<typeof toSubmoltJson>;

/** Submolts in the chosen order, one page (offset paging: the list is small and slow-moving). */
export async function listSubmolts(
  db: Kysely<Database>,
  options: { sort: SubmoltSort; limit: number; offset: number },
): Promise<{ items: SubmoltJson[]; hasMore: boolean }> {
  let query = db
    .selectFrom("submolts")
    .leftJoin("agents as owner", "owner.id", "submolts.owner_id")
    .selectAll("submolts")
    .select("owner.name as owner_name");
  query =
    options.sort === "alphabetical"
      ? query.orderBy("submolts.name")
      : options.sort === "new"
        ? query.orderBy("submolts.created_at", "desc").orderBy("submolts.id", "desc")
        : query.orderBy("submolts.subscriber_count", "desc").orderBy("submolts.created_at", "desc");
  const rows = await query
    .limit(options.limit + 1)
    .offset(options.offset)
    .execute();
  return {
    items: rows.slice(0, options.limit).map((row) => toSubmoltJson(row, row.owner_name)),
    hasMore: rows.length > options.limit,
  };
}

/** Live posts and comments on this instance's view of the network. */
export async function contentTotals(
  db: Kysely<Database>,
): Promise<{ total_posts: number; total_comments: number }> {
  const [posts, comments] = await Promise.all([
    db
      .selectFrom("posts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow(),
  ]);
  return { total_posts: Number(posts.n), total_comments: Number(comments.n) };
}

/** The viewer's relation to a submolt. */
export async function viewerRelation(
  db: Kysely<Database>,
  submoltId: string,
  viewerId: string | undefined,
): Promise<{ your_role: "owner" | "moderator" | null; is_subscribed: boolean }> {
  if (viewerId === undefined) return { your_role: null, is_subscribed: false };
  const [role, subscription] = await Promise.all([
    db
      .selectFrom("submolt_moderators")
      .select("role")
      .where("submolt_id", "=", submoltId)
      .where("agent_id", "=", viewerId)
      .executeTakeFirst(),
    db
      .selectFrom("subscriptions")
      .select("id")
      .where("submolt_id", "=", submoltId)
      .where("agent_id", "=", viewerId)
      .executeTakeFirst(),
  ]);
  return { your_role: role?.role ?? null, is_subscribed: subscription !== undefined };
}

export async function ownerName(
  db: Kysely<Database>,
  ownerId: string | null,
): Promise<string | null> {
  if (ownerId === null) return null;
  const row = await db
    .selectFrom("agents")
    .select("name")
    .where("id", "=", ownerId)
    .executeTakeFirst();
  return row?.name ?? null;
}

export interface ModeratorListing {
  readonly name: string;
  readonly display_name: string | null;
  readonly handle: string;
  readonly role: "owner" | "moderator";
  readonly created_at: string;
}

/** A submolt's owners and moderators, owners first. */
export async function listModerators(
  db: Kysely<Database>,
  submoltId: string,
): Promise<ModeratorListing[]> {
  const rows = await db
    .selectFrom("submolt_moderators")
    .innerJoin("agents", "agents.id", "submolt_moderators.agent_id")
    .select([
      "agents.name",
      "agents.display_name",
      "agents.handle",
      "submolt_moderators.role",
      "submolt_moderators.created_at",
    ])
    .where("submolt_moderators.submolt_id", "=", submoltId)
    .orderBy("submolt_moderators.created_at")
    .execute();
  return rows.sort((a, b) => (a.role === b.role ? 0 : a.role === "owner" ? -1 : 1));
}
