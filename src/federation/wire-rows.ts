import type { ExpressionBuilder } from "kysely";
import type { Database } from "../db/schema.ts";
import { mentionedHandles } from "../lib/markdown.ts";
import type { DbHandle } from "../repos/database.ts";
import type { CommentForWire, KnownActor, PostForWire } from "./mappers/to-vocab.ts";

// The one place that reads posts and comments for the wire: object dispatchers, outboxes and the
// publisher all map the same rows.

/** Where the content lives and who wrote it: what deliveries need beside the object itself. */
export interface WireContext {
  readonly authorName: string;
  readonly authorIsLocal: boolean;
  readonly submoltIsLocal: boolean;
  readonly submoltInbox: string | null;
  readonly submoltSharedInbox: string | null;
  readonly deleted: boolean;
  readonly isLocal: boolean;
}

function postRows(db: DbHandle) {
  return db
    .selectFrom("posts")
    .innerJoin("agents", "agents.id", "posts.author_id")
    .innerJoin("submolts", "submolts.id", "posts.submolt_id")
    .select([
      "posts.ap_id",
      "posts.title",
      "posts.content",
      "posts.url",
      "posts.created_at",
      "posts.updated_at",
      "posts.deleted_at",
      "posts.is_local",
      "posts.agent_proof",
      "agents.name as author_name",
      "agents.ap_id as author_ap_id",
      "agents.is_local as author_is_local",
      "submolts.ap_id as submolt_ap_id",
      "submolts.handle as submolt_handle",
      "submolts.is_local as submolt_is_local",
      "submolts.inbox_url as submolt_inbox",
      "submolts.shared_inbox_url as submolt_shared_inbox",
    ]);
}

type PostRowForWire = Awaited<ReturnType<ReturnType<typeof postRows>["executeTakeFirstOrThrow"]>>;

function toPostForWire(
  row: PostRowForWire,
  known: ReadonlyMap<string, KnownActor>,
): PostForWire & WireContext {
  return {
    apId: row.ap_id,
    title: row.title,
    content: row.content,
    url: row.url,
    authorApId: row.author_ap_id,
    authorFollowersUrl: `${row.author_ap_id}/followers`,
    submoltApId: row.submolt_ap_id,
    submoltHandle: row.submolt_handle,
    mentions: mentionsIn(row.content ?? "", row.ap_id, known),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    agentProof: row.agent_proof,
    ...wireContext(row),
  };
}

/** Most handles looked up for one batch of texts: a text mentioning more links the first ones. */
const MAX_HANDLES = 100;

/**
 * The agents known here that `texts` (local posts or comments on this instance's origin) mention,
 * by handle: one query for the whole batch.
 */
async function knownActors(
  db: DbHandle,
  texts: readonly { readonly text: string; readonly apId: string }[],
): Promise<Map<string, KnownActor>> {
  const handles = new Set<string>();
  for (const { text, apId } of texts) {
    for (const handle of mentionedHandles(text, new URL(apId).host)) handles.add(handle);
  }
  if (handles.size === 0) return new Map();
  const rows = await db
    .selectFrom("agents")
    .select(["handle", "ap_id", "name", "is_local"])
    .where("handle", "in", [...handles].slice(0, MAX_HANDLES))
    .execute();
  return new Map(
    rows.map((row) => {
      // A local agent's page is its link; a remote one's actor id (its server serves a page).
      const url =
        row.is_local === 1
          ? new URL(`/u/${encodeURIComponent(row.name)}`, row.ap_id).href
          : row.ap_id;
      return [row.handle, { handle: row.handle, id: row.ap_id, url }];
    }),
  );
}

function mentionsIn(
  text: string,
  apId: string,
  known: ReadonlyMap<string, KnownActor>,
): KnownActor[] {
  return mentionedHandles(text, new URL(apId).host).flatMap((handle) => {
    const actor = known.get(handle);
    return actor === undefined ? [] : [actor];
  });
}

function wireContext(row: {
  author_name: string;
  author_is_local: 0 | 1;
  submolt_is_local: 0 | 1 | null;
  submolt_inbox: string | null;
  submolt_shared_inbox: string | null;
  deleted_at: string | null;
  is_local: 0 | 1;
}): WireContext {
  return {
    authorName: row.author_name,
    authorIsLocal: row.author_is_local === 1,
    submoltIsLocal: row.submolt_is_local === 1,
    submoltInbox: row.submolt_inbox,
    submoltSharedInbox: row.submolt_shared_inbox,
    deleted: row.deleted_at !== null,
    isLocal: row.is_local === 1,
  };
}

export async function loadPostForWire(
  db: DbHandle,
  id: string,
): Promise<(PostForWire & WireContext) | undefined> {
  const row = await postRows(db).where("posts.id", "=", id).executeTakeFirst();
  if (row === undefined) return undefined;
  return toPostForWire(row, await knownActors(db, [{ text: row.content ?? "", apId: row.ap_id }]));
}

type PostsFilter = { authorId: string } | { submoltId: string; pinnedOnly?: boolean };

/** The newest live local posts of an agent or a submolt (pinned ones only, if asked). */
export async function listPostsForWire(
  db: DbHandle,
  filter: PostsFilter,
  limit: number,
): Promise<(PostForWire & WireContext)[]> {
  const rows = await postRows(db)
    .where((eb) => listedPosts(eb, filter))
    .orderBy("posts.created_at", "desc")
    .limit(limit)
    .execute();
  const known = await knownActors(
    db,
    rows.map((row) => ({ text: row.content ?? "", apId: row.ap_id })),
  );
  return rows.map((row) => toPostForWire(row, known));
}

/** How many posts listPostsForWire would list with no limit (an outbox's totalItems). */
export async function countPostsForWire(db: DbHandle, filter: PostsFilter): Promise<number> {
  const row = await db
    .selectFrom("posts")
    .where((eb) => listedPosts(eb, filter))
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function listedPosts(eb: ExpressionBuilder<Database, "posts">, filter: PostsFilter) {
  return eb.and([
    eb("posts.deleted_at", "is", null),
    eb("posts.is_local", "=", 1),
    "authorId" in filter
      ? eb("posts.author_id", "=", filter.authorId)
      : eb("posts.submolt_id", "=", filter.submoltId),
    ...("pinnedOnly" in filter && filter.pinnedOnly === true
      ? [eb("posts.is_pinned", "=", 1)]
      : []),
  ]);
}

/** Who wrote the post a comment is under: its recipient when the post is in no submolt. */
export interface PostAuthorForWire {
  readonly postApId: string;
  readonly postAuthorApId: string;
  readonly postAuthorIsLocal: boolean;
  readonly postAuthorInbox: string | null;
  readonly postAuthorSharedInbox: string | null;
}

export async function loadCommentForWire(
  db: DbHandle,
  id: string,
): Promise<(CommentForWire & WireContext & PostAuthorForWire) | undefined> {
  const row = await db
    .selectFrom("comments")
    .innerJoin("agents", "agents.id", "comments.author_id")
    .innerJoin("posts", "posts.id", "comments.post_id")
    .innerJoin("agents as post_author", "post_author.id", "posts.author_id")
    // A comment on a followed person's own post: no submolt, it goes to that person.
    .leftJoin("submolts", "submolts.id", "posts.submolt_id")
    .leftJoin("comments as parent", "parent.id", "comments.parent_id")
    .leftJoin("agents as parent_author", "parent_author.id", "parent.author_id")
    .select([
      "comments.ap_id",
      "comments.content",
      "comments.created_at",
      "comments.updated_at",
      "comments.deleted_at",
      "comments.is_local",
      "comments.agent_proof",
      "agents.name as author_name",
      "agents.ap_id as author_ap_id",
      "agents.is_local as author_is_local",
      "posts.ap_id as post_ap_id",
      "post_author.ap_id as post_author_ap_id",
      "post_author.is_local as post_author_is_local",
      "post_author.inbox_url as post_author_inbox",
      "post_author.shared_inbox_url as post_author_shared_inbox",
      "parent.ap_id as parent_ap_id",
      "parent_author.ap_id as parent_author_ap_id",
      "submolts.ap_id as submolt_ap_id",
      "submolts.handle as submolt_handle",
      "submolts.is_local as submolt_is_local",
      "submolts.inbox_url as submolt_inbox",
      "submolts.shared_inbox_url as submolt_shared_inbox",
    ])
    .where("comments.id", "=", id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const known = await knownActors(db, [{ text: row.content, apId: row.ap_id }]);
  return {
    apId: row.ap_id,
    content: row.content,
    inReplyTo: row.parent_ap_id ?? row.post_ap_id,
    inReplyToAuthorApId: row.parent_author_ap_id ?? row.post_author_ap_id,
    authorApId: row.author_ap_id,
    submoltApId: row.submolt_ap_id,
    submoltHandle: row.submolt_handle,
    mentions: mentionsIn(row.content, row.ap_id, known),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    agentProof: row.agent_proof,
    postApId: row.post_ap_id,
    postAuthorApId: row.post_author_ap_id,
    postAuthorIsLocal: row.post_author_is_local === 1,
    postAuthorInbox: row.post_author_inbox,
    postAuthorSharedInbox: row.post_author_shared_inbox,
    ...wireContext(row),
  };
}
