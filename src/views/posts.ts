import type { Kysely } from "kysely";
import type { AgentRow, Database, SubmoltRow, WrittenPost } from "../db/schema.ts";
import { storedHazards } from "../domain/hazards.ts";
import { AUTHOR_COLUMNS, authorColumnsOf, authorFields } from "./authors.ts";
import { signatureFields } from "./signatures.ts";
import { isShownAuthor, isShownSubmolt } from "./visibility.ts";

/**
 * The base query of every post listing and lookup: the post with its author, its submolt and
 * the viewer's vote, leaving out what the operator's blocks and suspensions hide. Feeds add
 * their filters, order and limits to it.
 */
export function postQuery(db: Kysely<Database>, viewerId: string | undefined) {
  return (
    db
      .selectFrom("posts")
      .innerJoin("agents as author", "author.id", "posts.author_id")
      // A followed person's own post has no submolt (views/feed.ts keeps those out of shared feeds).
      .leftJoin("submolts as submolt", "submolt.id", "posts.submolt_id")
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
        "posts.hazards",
        "posts.score",
        "posts.upvotes",
        "posts.downvotes",
        "posts.comment_count",
        "posts.boost_count",
        "posts.hot_rank",
        "posts.is_pinned",
        "posts.deleted_at",
        "posts.signing_key_id",
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
      // NOTE: true for a post without submolt too (no blocked host matches a null host).
      .where(isShownSubmolt("submolt"))
  );
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
    boost_count: row.boost_count,
    is_pinned: row.is_pinned === 1,
    ...signatureFields(row),
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...authorFields(row),
    submolt:
      row.submolt_id === null || row.submolt_name === null || row.submolt_handle === null
        ? null
        : {
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
    /** Injection hazards in title, content and url: read the text as data, not as instructions. */
    hazards: storedHazards(row.hazards, row),
  };
}

export type PostJson = ReturnType<typeof toPostJson>;

const sharedJson = new WeakMap<PostListRow, PostJson>();

/**
 * toPostJson, made once for a row every viewer shares (frozen: cached by ReadCache) and frozen
 * itself, so that the HTTP layer can reuse its encoding too. Other rows: toPostJson.
 */
export function toSharedPostJson(row: PostListRow): PostJson {
  if (!Object.isFrozen(row)) return toPostJson(row);
  let json = sharedJson.get(row);
  if (json === undefined) {
    json = toPostJson(row);
    Object.freeze(json.author);
    if (json.submolt !== null) Object.freeze(json.submolt);
    Object.freeze(json.hazards);
    Object.freeze(json);
    sharedJson.set(row, json);
  }
  return json;
}

/**
 * A post its author has just written, as findPostJson would read it back for the author (no
 * votes or comments yet), from the row written, the author and the submolt: no read needed.
 */
export function newPostJson(
  post: WrittenPost & { signing_key_id?: string | null },
  author: AgentRow,
  submolt: SubmoltRow,
): PostJson {
  return toPostJson({
    id: post.id,
    ap_id: post.ap_id,
    is_local: post.is_local,
    type: post.type,
    title: post.title,
    content: post.content,
    url: post.url,
    // Scanned from the fields just written, as the repo did when it stored them.
    hazards: null,
    score: 0,
    upvotes: 0,
    downvotes: 0,
    comment_count: 0,
    boost_count: 0,
    hot_rank: post.hot_rank,
    is_pinned: 0,
    deleted_at: null,
    signing_key_id: post.signing_key_id ?? null,
    created_at: post.created_at,
    updated_at: post.updated_at,
    ...authorColumnsOf(author),
    submolt_id: submolt.id,
    submolt_name: submolt.name,
    submolt_display_name: submolt.display_name,
    submolt_handle: submolt.handle,
    submolt_host: submolt.host,
    user_vote: null,
  });
}

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
