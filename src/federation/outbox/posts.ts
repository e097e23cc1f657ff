import type { Context } from "@fedify/fedify";
import { Announce, Create, PUBLIC_COLLECTION } from "@fedify/vocab";
import { appLogger } from "../../lib/logger.ts";
import { toInstant } from "../../lib/temporal.ts";
import type { DbHandle } from "../../repos/database.ts";
import { toNote, toPage } from "../mappers/to-vocab.ts";
import { loadCommentForWire, loadPostForWire } from "../wire-rows.ts";

const logger = appLogger("federation", "publisher");

/**
 * A local agent's new post: Create(Page) to the agent's followers (shared inboxes: one delivery
 * per server), and to the submolt when that lives on another instance, which relays it (FEP-1b12).
 */
export async function publishPostCreated(
  ctx: Context<void>,
  db: DbHandle,
  postId: string,
): Promise<void> {
  const post = await loadPostForWire(db, postId);
  if (post === undefined || post.deleted) return;
  const identifier = post.authorName.toLowerCase();
  const followers = ctx.getFollowersUri(identifier);
  const create = new Create({
    id: new URL(`${post.apId}/create`),
    actor: new URL(post.authorApId),
    object: toPage({ ...post, authorFollowersUrl: followers.href }),
    tos: [new URL(post.submoltApId), PUBLIC_COLLECTION],
    ccs: [followers],
    audience: new URL(post.submoltApId),
    published: toInstant(post.createdAt),
  });
  await ctx.sendActivity({ identifier }, "followers", create, {
    preferSharedInbox: true,
    orderingKey: post.apId,
  });
  if (post.submoltIsLocal) return;
  if (post.submoltInbox === null) {
    logger.warning("Remote submolt {submolt} has no inbox; post {post} stays local", {
      submolt: post.submoltApId,
      post: post.apId,
    });
    return;
  }
  await ctx.sendActivity(
    { identifier },
    groupRecipient(post.submoltApId, post.submoltInbox, post.submoltSharedInbox),
    create,
    { orderingKey: post.apId },
  );
}

/**
 * A post arrived in a local submolt: the Group announces it to its followers (FEP-1b12). The
 * object is the post's URL: every receiver fetches it from its author's instance, which is what
 * proves it authentic; Mastodon followers of the group see the post as a boost.
 */
export async function publishSubmoltAnnounce(
  ctx: Context<void>,
  db: DbHandle,
  eventId: string,
  event: { readonly submoltId: string; readonly objectApId: string },
): Promise<void> {
  const submolt = await db
    .selectFrom("submolts")
    .select(["name", "is_local"])
    .where("id", "=", event.submoltId)
    .executeTakeFirst();
  if (submolt === undefined || submolt.is_local !== 1) return;
  const identifier = submolt.name.toLowerCase();
  const group = ctx.getActorUri(identifier);
  const announce = new Announce({
    id: new URL(`${group.href}/announces/${eventId}`),
    actor: group,
    object: new URL(event.objectApId),
    tos: [PUBLIC_COLLECTION],
    ccs: [ctx.getFollowersUri(identifier)],
    audience: group,
  });
  await ctx.sendActivity({ identifier }, "followers", announce, { preferSharedInbox: true });
}

/**
 * A local agent's new comment: Create(Note) to the submolt when that lives on another instance
 * (which relays it); a local submolt relays it itself (submolt.announced).
 */
export async function publishCommentCreated(
  ctx: Context<void>,
  db: DbHandle,
  commentId: string,
): Promise<void> {
  const comment = await loadCommentForWire(db, commentId);
  if (
    comment === undefined ||
    comment.deleted ||
    comment.submoltIsLocal ||
    comment.submoltInbox === null
  )
    return;
  const create = new Create({
    id: new URL(`${comment.apId}/create`),
    actor: new URL(comment.authorApId),
    object: toNote(comment),
    tos: [PUBLIC_COLLECTION],
    ccs: [new URL(comment.submoltApId)],
    audience: new URL(comment.submoltApId),
  });
  await ctx.sendActivity(
    { identifier: comment.authorName.toLowerCase() },
    groupRecipient(comment.submoltApId, comment.submoltInbox, comment.submoltSharedInbox),
    create,
    { orderingKey: comment.postApId },
  );
}

export function groupRecipient(apId: string, inbox: string, sharedInbox: string | null) {
  return {
    id: new URL(apId),
    inboxId: new URL(inbox),
    endpoints: { sharedInbox: sharedInbox === null ? null : new URL(sharedInbox) },
  };
}
