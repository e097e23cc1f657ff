import type { Context } from "@fedify/fedify";
import { Announce, PUBLIC_COLLECTION } from "@fedify/vocab";
import { appLogger } from "../../lib/logger.ts";
import type { DbHandle } from "../../repos/database.ts";
import { toCommentCreate, toPostCreate } from "../mappers/to-vocab.ts";
import { loadCommentForWire, loadPostForWire } from "../wire-rows.ts";

const logger = appLogger("federation", "publisher");

/**
 * A local agent's new post: Create(Note) to the agent's followers (shared inboxes: one delivery
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
  const create = toPostCreate(post);
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
 * Something arrived in a local submolt: the Group announces it to its followers (FEP-1b12). What
 * it announces is a URL, so every receiver fetches it from its origin, which is what proves it
 * authentic: the Create that delivered a new post or comment, else the object itself (a vote, or
 * edited content to fetch again). A new post is also announced as itself, the Announce(Note)
 * microblog followers show as a boost (Mastodon ignores an Announce of a Create).
 */
export async function publishSubmoltAnnounce(
  ctx: Context<void>,
  db: DbHandle,
  eventId: string,
  event: {
    readonly submoltId: string;
    readonly objectApId: string;
    readonly activityApId?: string | null;
  },
): Promise<void> {
  const submolt = await db
    .selectFrom("submolts")
    .select(["name", "is_local"])
    .where("id", "=", event.submoltId)
    .executeTakeFirst();
  if (submolt === undefined || submolt.is_local !== 1) return;
  const identifier = submolt.name.toLowerCase();
  const group = ctx.getActorUri(identifier);
  // NOTE: events queued before activityApId existed lack it; they announce the object, as then.
  const activity = event.activityApId ?? null;
  const isPost =
    activity !== null &&
    (await db
      .selectFrom("posts")
      .select("id")
      .where("ap_id", "=", event.objectApId)
      .executeTakeFirst()) !== undefined;
  const announced = [
    ...(activity === null ? [] : [{ object: activity, id: `${group.href}/announces/${eventId}` }]),
    ...(activity === null || isPost
      ? [{ object: event.objectApId, id: `${group.href}/announces/${eventId}/object` }]
      : []),
  ];
  for (const { id, object } of announced) {
    const announce = new Announce({
      id: new URL(id),
      actor: group,
      object: new URL(object),
      tos: [PUBLIC_COLLECTION],
      ccs: [ctx.getFollowersUri(identifier)],
      audience: group,
    });
    await ctx.sendActivity({ identifier }, "followers", announce, {
      preferSharedInbox: true,
      orderingKey: event.objectApId,
    });
  }
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
  const create = toCommentCreate(comment);
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
