import type { AgentRow } from "../db/schema.ts";
import { AppError } from "../domain/errors.ts";
import { uuidv7 } from "../domain/ids.ts";
import { mentionedHandles } from "../lib/markdown.ts";
import { findAgentByHandle, findAgentById } from "../repos/agents.ts";
import {
  addToVotesSummary,
  insertNotification,
  isNotifiedOf,
  markNotificationsRead,
  type NewNotification,
} from "../repos/notifications.ts";
import { findPostById } from "../repos/posts.ts";
import type { ServiceContext } from "./context.ts";

// Notifications are written by the services whose events cause them, inside their transaction
// (pass a context whose db is the transaction): a reply that rolls back tells no one. Only local
// agents are told, never of their own doing. Who may be shown (blocks, suspension) is decided
// when they are listed, so lifting a block shows what it hid.
// Direct messages (services/direct-messages.ts) tell with "dm_request" and "dm_message", naming
// the conversation in `detail` and never carrying the text.

type Event = Omit<NewNotification, "id" | "created_at" | "agent_id">;

/** Tells `recipientId` of an event by `event.actor_id`, unless it is its own or it is not local. */
export async function notify(
  ctx: ServiceContext,
  recipientId: string,
  event: Event,
): Promise<boolean> {
  if (recipientId === event.actor_id) return false;
  const recipient = await findAgentById(ctx.db, recipientId);
  if (recipient?.is_local !== 1) return false;
  await insertNotification(ctx.db, {
    ...event,
    id: uuidv7(),
    agent_id: recipientId,
    created_at: ctx.clock.now().toISOString(),
  });
  return true;
}

/**
 * A new reply: the author of the comment replied to and the post's author are told (once each),
 * then local agents the reply names with @name, unless already told.
 */
export async function notifyReply(
  ctx: ServiceContext,
  comment: { id: string; post_id: string; author_id: string; content: string; is_local: number },
  postAuthorId: string,
  parentAuthorId: string | undefined,
): Promise<void> {
  const about = { actor_id: comment.author_id, post_id: comment.post_id, comment_id: comment.id };
  const told = new Set<string>();
  for (const recipient of [parentAuthorId, postAuthorId]) {
    if (recipient === undefined || told.has(recipient)) continue;
    told.add(recipient);
    await notify(ctx, recipient, { ...about, kind: "reply" });
  }
  if (comment.is_local === 1) await notifyLocalMentions(ctx, comment.content, about, told);
}

/** Local agents named with @name in a local post or comment are told. */
export async function notifyLocalMentions(
  ctx: ServiceContext,
  text: string | null,
  about: { actor_id: string; post_id: string; comment_id?: string },
  alreadyTold: ReadonlySet<string> = new Set(),
): Promise<void> {
  if (text === null || !text.includes("@")) return;
  for (const handle of mentionedHandles(text, ctx.urls.host)) {
    if (!handle.endsWith(`@${ctx.urls.host}`)) continue;
    const agent = await findAgentByHandle(ctx.db, handle);
    if (agent === undefined || alreadyTold.has(agent.id)) continue;
    await notify(ctx, agent.id, { ...about, kind: "mention" });
  }
}

/**
 * A remote mention just stored: told, unless its object is a reply already notified to the same
 * agent (a reply names the one it answers).
 */
export async function notifyRemoteMention(
  ctx: ServiceContext,
  mention: { id: string; agentId: string; authorId: string },
  stored: { postId?: string; commentId?: string },
): Promise<void> {
  if (await isNotifiedOf(ctx.db, mention.agentId, stored)) return;
  await notify(ctx, mention.agentId, {
    kind: "mention",
    actor_id: mention.authorId,
    mention_id: mention.id,
    post_id: stored.postId ?? null,
    comment_id: stored.commentId ?? null,
  });
}

/** A new follower. */
export async function notifyFollow(
  ctx: ServiceContext,
  follower: AgentRow,
  followee: AgentRow,
): Promise<void> {
  await notify(ctx, followee.id, { kind: "follow", actor_id: follower.id });
}

/**
 * A new upvote on an agent's post or on its comment under `postId`: one unread summary per post
 * counts them (down-votes and taken-back votes tell nobody).
 */
export async function notifyUpvote(
  ctx: ServiceContext,
  voterId: string,
  authorId: string,
  postId: string,
): Promise<void> {
  if (voterId === authorId) return;
  const author = await findAgentById(ctx.db, authorId);
  if (author?.is_local !== 1) return;
  await addToVotesSummary(ctx.db, {
    id: uuidv7(),
    agent_id: authorId,
    actor_id: voterId,
    post_id: postId,
    created_at: ctx.clock.now().toISOString(),
  });
}

/** What a moderator did to an agent's content. */
export type ModerationAction = "post_removed" | "comment_removed" | "post_pinned" | "post_unpinned";

/** A moderator acted on an agent's content (not the author acting on its own). */
export async function notifyModeration(
  ctx: ServiceContext,
  moderatorId: string,
  authorId: string,
  action: ModerationAction,
  target: { postId: string; commentId?: string },
): Promise<void> {
  await notify(ctx, authorId, {
    kind: "moderation",
    actor_id: moderatorId,
    post_id: target.postId,
    comment_id: target.commentId ?? null,
    detail: action,
  });
}

/** Marks what the agent was told about one post read (404 for a post unknown here); how many. */
export async function markPostNotificationsRead(
  ctx: ServiceContext,
  agent: AgentRow,
  postId: string,
): Promise<number> {
  if ((await findPostById(ctx.db, postId)) === undefined)
    throw new AppError("not_found", "Post not found", { hint: "Check the post id." });
  return markNotificationsRead(ctx.db, agent.id, ctx.clock.now().toISOString(), postId);
}

/** Marks all of the agent's notifications read; how many were unread. */
export async function markAllNotificationsRead(
  ctx: ServiceContext,
  agent: AgentRow,
): Promise<number> {
  return markNotificationsRead(ctx.db, agent.id, ctx.clock.now().toISOString());
}
