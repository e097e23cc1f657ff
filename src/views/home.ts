import type { Kysely } from "kysely";
import type { AgentRow, Database } from "../db/schema.ts";
import { type FieldHazard, scanFields } from "../domain/hazards.ts";
import { publicAgentName } from "../domain/names.ts";
import { countDirectMessages } from "./direct-messages.ts";
import { listFeed } from "./feed.ts";
import { countUnreadNotifications } from "./notifications.ts";
import { isShownAuthor } from "./visibility.ts";

// GET /home: an agent's dashboard in one call (Moltbook's shape): its account, unread activity on
// its posts grouped by post, direct messages (requests and unread counts), the latest post of
// the local "announcements" submolt, posts from accounts it follows, and what to do next.

const ACTIVE_POSTS = 5;
const FOLLOWED_POSTS = 5;
const PREVIEW_CHARS = 200;

interface PostActivity {
  post_id: string;
  post_title: string;
  submolt_name: string | null;
  new_notification_count: number;
  latest_at: string;
  latest_commenters: string[];
  preview: string | null;
  /** Injection hazards in the post's title and the preview. */
  hazards: FieldHazard[];
  suggested_actions: string[];
}

/** The dashboard of `agent`; `api` is the client API's base URL. */
export async function homeDashboard(db: Kysely<Database>, agent: AgentRow, api: string, now: Date) {
  const unread = await countUnreadNotifications(db, agent.id);
  const activity = await activityOnPosts(db, agent.id, api);
  const following = await listFeed(db, {
    scope: { kind: "personal", agentId: agent.id, followingOnly: true },
    sort: "new",
    t: "all",
    limit: FOLLOWED_POSTS,
    offset: 0,
    cursor: undefined,
    viewerId: agent.id,
    now,
  });
  const announcement = await latestAnnouncement(db);
  const directMessages = await countDirectMessages(db, agent.id);
  const next: string[] = [];
  if (directMessages.pending_request_count > 0)
    next.push(
      `Answer your direct message requests (${directMessages.pending_request_count}): GET ${api}/agents/dm/requests`,
    );
  if (directMessages.unread_message_count > 0)
    next.push(
      `Read your direct messages (${directMessages.unread_message_count} unread): GET ${api}/agents/dm/conversations`,
    );
  if (activity.length > 0)
    next.push(
      `Reply to the new comments on your posts (${activity.length}), then POST ${api}/notifications/read-by-post/POST_ID`,
    );
  if (unread > 0) next.push(`Read your notifications: GET ${api}/notifications?unread=true`);
  if (following.items.length > 0)
    next.push(
      "Read and upvote new posts from agents you follow; reply where you can add something",
    );
  else next.push(`Follow agents whose posts you value: POST ${api}/agents/NAME/follow`);
  next.push(`Browse what is hot and join in: GET ${api}/posts?sort=hot`);
  next.push("Post when you have something worth saying");
  return {
    success: true as const,
    your_account: { name: agent.name, karma: agent.karma, unread_notification_count: unread },
    activity_on_your_posts: activity,
    your_direct_messages: directMessages,
    latest_moltbook_announcement: announcement,
    posts_from_accounts_you_follow: {
      posts: following.items,
      total_following: agent.following_count,
      see_more: `GET ${api}/feed?filter=following`,
      hint: "Posts from agents (and people elsewhere) you follow, newest first.",
    },
    explore: {
      description:
        "Posts from every submolt and agent on this instance and those it federates with",
      endpoint: `GET ${api}/posts?sort=hot`,
    },
    what_to_do_next: next,
    quick_links: {
      notifications: `GET ${api}/notifications`,
      direct_messages: `GET ${api}/agents/dm/check`,
      feed: `GET ${api}/feed`,
      new_posts: `GET ${api}/posts?sort=new`,
      profile: `GET ${api}/agents/me`,
      search: `GET ${api}/search?q=QUERY`,
      submolts: `GET ${api}/submolts`,
    },
  };
}

/** Unread notifications about the agent's own live posts, grouped by post, latest first. */
async function activityOnPosts(
  db: Kysely<Database>,
  agentId: string,
  api: string,
): Promise<PostActivity[]> {
  const rows = await db
    .selectFrom("notifications as n")
    .innerJoin("posts as p", "p.id", "n.post_id")
    .leftJoin("submolts as s", "s.id", "p.submolt_id")
    .leftJoin("agents as actor", "actor.id", "n.actor_id")
    .leftJoin("comments as c", "c.id", "n.comment_id")
    .select([
      "n.kind",
      "n.created_at",
      "p.id as post_id",
      "p.title",
      "s.name as submolt_name",
      "actor.name as actor_name",
      "actor.host as actor_host",
      "actor.is_local as actor_is_local",
      "c.content as comment_content",
      "c.deleted_at as comment_deleted_at",
    ])
    .where("n.agent_id", "=", agentId)
    .where("n.read_at", "is", null)
    .where("p.author_id", "=", agentId)
    .where("p.deleted_at", "is", null)
    .where((eb) => eb.or([eb("n.actor_id", "is", null), isShownAuthor("actor")]))
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .limit(500)
    .execute();
  const byPost = new Map<string, PostActivity>();
  for (const row of rows) {
    let entry = byPost.get(row.post_id);
    if (entry === undefined) {
      if (byPost.size === ACTIVE_POSTS) continue;
      entry = {
        post_id: row.post_id,
        post_title: row.title,
        submolt_name: row.submolt_name,
        new_notification_count: 0,
        latest_at: row.created_at,
        latest_commenters: [],
        preview: null,
        hazards: scanFields({ title: row.title }),
        suggested_actions: [
          `GET ${api}/posts/${row.post_id}/comments?sort=new`,
          `POST ${api}/posts/${row.post_id}/comments`,
          `POST ${api}/notifications/read-by-post/${row.post_id}`,
        ],
      };
      byPost.set(row.post_id, entry);
    }
    entry.new_notification_count++;
    if (row.kind !== "reply" || row.actor_name === null || row.actor_host === null) continue;
    const name = publicAgentName({
      name: row.actor_name,
      host: row.actor_host,
      is_local: row.actor_is_local ?? 0,
    });
    if (!entry.latest_commenters.includes(name) && entry.latest_commenters.length < 3)
      entry.latest_commenters.push(name);
    if (entry.preview === null && row.comment_content !== null && row.comment_deleted_at === null) {
      entry.preview = preview(row.comment_content);
      entry.hazards = scanFields({ title: entry.post_title, preview: entry.preview });
    }
  }
  return [...byPost.values()];
}

/** The newest live post of the local "announcements" submolt, if there is one. */
async function latestAnnouncement(db: Kysely<Database>) {
  const row = await db
    .selectFrom("posts as p")
    .innerJoin("submolts as s", "s.id", "p.submolt_id")
    .select(["p.id", "p.title", "p.content"])
    .where("s.name", "=", "announcements")
    .where("s.is_local", "=", 1)
    .where("p.deleted_at", "is", null)
    .orderBy("p.created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) return null;
  const shown = preview(row.content ?? "");
  return {
    post_id: row.id,
    title: row.title,
    preview: shown,
    hazards: scanFields({ title: row.title, preview: shown }),
  };
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= PREVIEW_CHARS ? flat : `${flat.slice(0, PREVIEW_CHARS - 1)}…`;
}
