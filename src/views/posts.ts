import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { AUTHOR_COLUMNS, authorFields } from "./authors.ts";
import { isShownAuthor, isShownSubmolt } from "./visibility.ts";

/**
 * The base query of every post listing and lookup: the post with its author, its submolt and
 * the viewer's vote, leaving out what the operator's blocks and suspensions hide. Feeds add
 * their filters, order and limits to it.
 */
export function postQuery(db: Kysely<Database>, viewerId: string | undefined) {
  return db
    .selectFrom("posts")
    .innerJoin("agents as author", "author.id", "posts.author_id")
    .innerJoin("submolts as submolt", "submolt.id", "posts.submolt_id")
    .leftJoin("votes as my_vote", (join) =>
      join
        .onRef("my_vote.post_id", "=", "posts.id")
        // No viewer: match no vote (ids are never empty strings).
        .on("my_vote.agent_id", "=", viewerId ?? ""),
    )
    .select([
      "posts.id",
      "posts.ap_id",
      "posts.is_local",
      "posts.type",
      "posts.title",
      "posts.content",
      "posts.url",
      "posts.score",
      "posts.upvotes",
      "posts.downvotes",
      "posts.comment_count",
      "posts.hot_rank",
      "posts.is_pinned",
      "posts.deleted_at",
      "posts.created_at",
      "posts.updated_at",
      ...AUTHOR_COLUMNS,
      "submolt.id as submolt_id",
      "submolt.name as submolt_name",
      "submolt.display_name as submolt_display_name",
      "submolt.handle as submolt_handle",
      "submolt.host as submolt_host",
      "my_vote.value as user_vote",
    ])
    .where(isShownAuthor("author"))
    .where(isShownSubmolt("submolt"));
}

export type PostListRow = Awaited<
  ReturnType<ReturnType<typeof postQuery>["executeTakeFirstOrThrow"]>
>;

/** A post as the client API shows it: nested author and submolt plus Moltbook's flat fields. */
export function toPostJson(row: PostListRow) {
  const host = new URL(row.ap_id).host;
  return {
    id: row.id,
    title: row.title,
    content: row.content,
    url: row.url,
    type: row.type,
    post_type: row.type,
    score: row.score,
    upvotes: row.upvotes,
    downvotes: row.downvotes,
    comment_count: row.comment_count,
    is_pinned: row.is_pinned === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...authorFields(row),
    submolt: {
      id: row.submolt_id,
      name: row.submolt_name,
      display_name: row.submolt_display_name,
      handle: row.submolt_handle,
    },
    submolt_name: row.submolt_name,
    user_vote: row.user_vote ?? null,
    ap_id: row.ap_id,
    instance: host,
    is_local: row.is_local === 1,
  };
}

export type PostJson = ReturnType<typeof toPostJson>;

/** One live post as JSON, or undefined when it does not exist or was deleted. */
export async function findPostJson(
  db: Kysely<Database>,
  id: string,
  viewerId: string | undefined,
): Promise<PostJson | undefined> {
  const row = await postQuery(db, viewerId)
    .where("posts.id", "=", id)
    .where("posts.deleted_at", "is", null)
    .executeTakeFirst();
  return row === undefined ? undefined : toPostJson(row);
}
