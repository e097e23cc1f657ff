import { type Kysely, sql } from "kysely";
import type { Database } from "../db/schema.ts";
import { type FieldHazard, scanFields } from "../domain/hazards.ts";
import { publicAgentName } from "../domain/names.ts";
import { decodeCursor, encodeCursor } from "./pagination.ts";
import { isShownAuthor } from "./visibility.ts";

// An agent's notifications, newest first. What a blocked or suspended actor did is not shown
// (nor counted) while the block lasts. A mention that was not public says so and carries no
// text; public content brings a short excerpt.

const EXCERPT_CHARS = 140;

export interface NotificationJson {
  readonly id: string;
  readonly type: string;
  readonly read: boolean;
  readonly created_at: string;
  readonly actor: { readonly name: string; readonly display_name: string | null } | null;
  readonly post_id: string | null;
  readonly comment_id: string | null;
  /** Events summed up (votes on one post). */
  readonly count: number;
  /** A mention in a post that is not public (followers-only): no text, nothing to link to. */
  readonly is_direct: boolean;
  readonly excerpt: string | null;
  /** Injection hazards in the excerpt. */
  readonly hazards: readonly FieldHazard[];
  readonly detail: string | null;
  /** When a suspension ends by itself. */
  readonly ends_at: string | null;
  readonly message: string;
}

export interface NotificationPage {
  readonly items: NotificationJson[];
  readonly hasMore: boolean;
  readonly nextCursor: string | null;
}

const SORT = "notifications";

function baseQuery(db: Kysely<Database>, agentId: string, unreadOnly: boolean) {
  let query = db
    .selectFrom("notifications as n")
    .leftJoin("agents as actor", "actor.id", "n.actor_id")
    .where("n.agent_id", "=", agentId)
    .where((eb) => eb.or([eb("n.actor_id", "is", null), isShownAuthor("actor")]));
  if (unreadOnly) query = query.where("n.read_at", "is", null);
  return query;
}

/** The agent's notifications after `cursor` (or skipping `offset`), `limit` of them. */
export async function listNotifications(
  db: Kysely<Database>,
  request: {
    agentId: string;
    unreadOnly: boolean;
    limit: number;
    offset: number;
    cursor: string | undefined;
  },
): Promise<NotificationPage> {
  let query = baseQuery(db, request.agentId, request.unreadOnly)
    .leftJoin("posts as p", "p.id", "n.post_id")
    .leftJoin("comments as c", "c.id", "n.comment_id")
    .leftJoin("mentions as m", "m.id", "n.mention_id")
    .select([
      "n.id",
      "n.kind",
      "n.read_at",
      "n.created_at",
      "n.post_id",
      "n.comment_id",
      "n.count",
      "n.detail",
      "n.ends_at",
      "n.mention_id",
      "actor.name as actor_name",
      "actor.host as actor_host",
      "actor.is_local as actor_is_local",
      "actor.display_name as actor_display_name",
      "p.title as post_title",
      "p.deleted_at as post_deleted_at",
      "c.content as comment_content",
      "c.deleted_at as comment_deleted_at",
      "m.is_public as mention_is_public",
      "m.content as mention_content",
    ])
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .limit(request.limit + 1);
  if (request.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(request.cursor, SORT, ["string", "string"]).key;
    query = query.where((eb) =>
      eb.or([
        eb("n.created_at", "<", String(createdAt)),
        eb.and([eb("n.created_at", "=", String(createdAt)), eb("n.id", "<", String(id))]),
      ]),
    );
  } else if (request.offset > 0) {
    query = query.offset(request.offset);
  }
  const rows = await query.execute();
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  const hasMore = rows.length > request.limit;
  return {
    items: page.map((row) => {
      const actor =
        row.actor_name === null || row.actor_host === null || row.actor_is_local === null
          ? null
          : {
              name: publicAgentName({
                name: row.actor_name,
                host: row.actor_host,
                is_local: row.actor_is_local,
              }),
              display_name: row.actor_display_name ?? null,
            };
      const isDirect = row.mention_id !== null && row.mention_is_public !== 1;
      const text = isDirect
        ? null
        : row.comment_id !== null
          ? row.comment_deleted_at === null
            ? row.comment_content
            : null
          : row.post_id !== null
            ? row.post_deleted_at === null
              ? row.post_title
              : null
            : row.mention_content;
      const shown = text === null || text === undefined ? null : excerpt(text);
      return {
        id: row.id,
        type: row.kind,
        read: row.read_at !== null,
        created_at: row.created_at,
        actor,
        post_id: row.post_id,
        comment_id: row.comment_id,
        count: row.count,
        is_direct: isDirect,
        excerpt: shown,
        hazards: scanFields({ excerpt: shown }),
        detail: row.detail,
        ends_at: row.ends_at,
        message: describe(
          row.kind,
          actor?.name ?? "someone",
          row.count,
          row.detail,
          isDirect,
          row.ends_at,
        ),
      };
    }),
    hasMore,
    nextCursor:
      hasMore && last !== undefined
        ? encodeCursor({ sort: SORT, key: [last.created_at, last.id] })
        : null,
  };
}

/** How many of the agent's notifications are unread (shown ones only). */
export async function countUnreadNotifications(
  db: Kysely<Database>,
  agentId: string,
): Promise<number> {
  const row = await baseQuery(db, agentId, true)
    .select(sql<number | string>`count(*)`.as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= EXCERPT_CHARS ? flat : `${flat.slice(0, EXCERPT_CHARS - 1)}…`;
}

const MODERATION_MESSAGES: Readonly<Record<string, string>> = {
  post_removed: "A moderator removed your post",
  comment_removed: "A moderator removed your comment",
  post_pinned: "A moderator pinned your post",
  post_unpinned: "A moderator unpinned your post",
};

/** Why and until when, as the refusals of a suspended agent's requests say it. */
function suspensionMessage(reason: string | null, endsAt: string | null): string {
  const why = `Your account was suspended: ${reason ?? "no reason given"}.`;
  return endsAt === null
    ? `${why} It lasts until the operator lifts it.`
    : `${why} Suspension ends at ${endsAt}.`;
}

function describe(
  kind: string,
  actor: string,
  count: number,
  detail: string | null,
  isDirect: boolean,
  endsAt: string | null,
): string {
  switch (kind) {
    case "reply":
      return `${actor} replied to you`;
    case "mention":
      return isDirect
        ? `${actor} mentioned you in a post that is not public`
        : `${actor} mentioned you`;
    case "follow":
      return `${actor} followed you`;
    case "dm_request":
      return `${actor} asked to send you direct messages`;
    case "dm_message":
      return `${actor} sent you a direct message`;
    case "votes":
      return count === 1
        ? `${actor} upvoted you on this post`
        : `${actor} and ${count - 1} more upvoted you on this post`;
    case "moderation":
      return MODERATION_MESSAGES[detail ?? ""] ?? "A moderator acted on your content";
    case "suspended":
      return suspensionMessage(detail, endsAt);
    case "unsuspended":
      return "Your account is active again";
    default:
      return `${actor}: ${kind}`;
  }
}
