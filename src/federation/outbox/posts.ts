import type { Context } from "@fedify/fedify";
import { type Activity, Announce, PUBLIC_COLLECTION, Update } from "@fedify/vocab";
import { appLogger } from "../../lib/logger.ts";
import type { DbHandle } from "../../repos/database.ts";
import { toCommentCreate, toPostCreate } from "../mappers/to-vocab.ts";
import { loadCommentForWire, loadPostForWire, type PostAuthorForWire } from "../wire-rows.ts";

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
 * authentic: the Create that delivered a new post or comment, else the vote itself. A new post is
 * also announced as itself (a Note), the boost microblog followers show (Mastodon ignores an Announce of a
 * Create, and of a Like). Only new posts: an announced comment or edit would show as a boost;
 * edits are relayed as Announce(Update) (publishSubmoltEdit, changes.ts).
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
  const identifier = await localSubmoltIdentifier(db, { id: event.submoltId });
  if (identifier === undefined) return;
  const group = ctx.getActorUri(identifier).href;
  // NOTE: content that came without a Create (fetched as the parent of a reply), and edits
  // queued before they were relayed as Announce(Update), have no activity: the object is
  // announced, as it was then.
  const activity = event.activityApId ?? null;
  const kind = activity === null ? undefined : await contentKind(db, event.objectApId);
  const announced = [
    ...(activity === null ? [] : [{ object: activity, id: `${group}/announces/${eventId}` }]),
    ...(activity === null || kind === "post"
      ? [{ object: event.objectApId, id: `${group}/announces/${eventId}/object` }]
      : []),
  ];
  for (const { id, object } of announced) {
    await sendGroupAnnounce(ctx, identifier, new URL(id), new URL(object), event.objectApId);
  }
}

/**
 * A remote author edited content of a local submolt: the Group announces the author's Update,
 * by id when that dereferences on the author's server, else embedded as received. Receivers
 * apply neither: they fetch the edited object again from its origin (inbox/relayed.ts).
 */
export async function publishSubmoltEdit(
  ctx: Context<void>,
  db: DbHandle,
  eventId: string,
  event: {
    readonly submoltId: string;
    readonly objectApId: string;
    readonly editApId: string;
    readonly editActivity: Readonly<Record<string, unknown>> | null;
  },
): Promise<void> {
  const identifier = await localSubmoltIdentifier(db, { id: event.submoltId });
  if (identifier === undefined) return;
  // Parsed again from the JSON as received: a hydrated object would inline the actor.
  const object =
    event.editActivity === null
      ? new URL(event.editApId)
      : await Update.fromJsonLd(event.editActivity, { contextLoader: ctx.contextLoader }).catch(
          () => null,
        );
  if (object === null) {
    logger.warning("Not relaying edit {edit}: the activity as received no longer parses", {
      edit: event.editApId,
    });
    return;
  }
  const id = new URL(`${ctx.getActorUri(identifier).href}/announces/${eventId}`);
  await sendGroupAnnounce(ctx, identifier, id, object, event.objectApId);
}

/**
 * The Group `identifier` announces `object` (a URL, or an activity to embed) to its followers,
 * publicly; deliveries about one post or comment keep their order.
 */
export async function sendGroupAnnounce(
  ctx: Context<void>,
  identifier: string,
  id: URL,
  object: URL | Activity,
  orderingKey: string,
): Promise<void> {
  const group = ctx.getActorUri(identifier);
  const announce = new Announce({
    id,
    actor: group,
    object,
    tos: [PUBLIC_COLLECTION],
    ccs: [ctx.getFollowersUri(identifier)],
    audience: group,
  });
  await ctx.sendActivity({ identifier }, "followers", announce, {
    preferSharedInbox: true,
    orderingKey,
  });
}

/** The actor identifier of a local submolt; undefined for a remote or unknown one. */
export async function localSubmoltIdentifier(
  db: DbHandle,
  submolt: { readonly id: string } | { readonly apId: string },
): Promise<string | undefined> {
  const query = db.selectFrom("submolts").select(["name", "is_local"]);
  const row = await ("id" in submolt
    ? query.where("id", "=", submolt.id)
    : query.where("ap_id", "=", submolt.apId)
  ).executeTakeFirst();
  return row?.is_local === 1 ? row.name.toLowerCase() : undefined;
}

/** Whether `apId` is a post or a comment held here (undefined: something else, such as a vote). */
async function contentKind(db: DbHandle, apId: string): Promise<"post" | "comment" | undefined> {
  const post = await db
    .selectFrom("posts")
    .select("id")
    .where("ap_id", "=", apId)
    .executeTakeFirst();
  if (post !== undefined) return "post";
  const comment = await db
    .selectFrom("comments")
    .select("id")
    .where("ap_id", "=", apId)
    .executeTakeFirst();
  return comment === undefined ? undefined : "comment";
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
  if (comment === undefined || comment.deleted) return;
  const create = toCommentCreate(comment);
  if (comment.submoltApId === null) {
    // Under a person's own post (a Mastodon status): a reply, sent to that person.
    const recipient = personRecipient(comment);
    if (recipient !== undefined) {
      await ctx.sendActivity({ identifier: comment.authorName.toLowerCase() }, recipient, create, {
        orderingKey: comment.postApId,
      });
    }
    return;
  }
  if (comment.submoltIsLocal || comment.submoltInbox === null) return;
  await ctx.sendActivity(
    { identifier: comment.authorName.toLowerCase() },
    groupRecipient(comment.submoltApId, comment.submoltInbox, comment.submoltSharedInbox),
    create,
    { orderingKey: comment.postApId },
  );
}

/** The remote author of the post a comment is under, when it has an inbox. */
export function personRecipient(post: PostAuthorForWire) {
  if (post.postAuthorIsLocal || post.postAuthorInbox === null) return undefined;
  return groupRecipient(post.postAuthorApId, post.postAuthorInbox, post.postAuthorSharedInbox);
}

export function groupRecipient(apId: string, inbox: string, sharedInbox: string | null) {
  return {
    id: new URL(apId),
    inboxId: new URL(inbox),
    endpoints: { sharedInbox: sharedInbox === null ? null : new URL(sharedInbox) },
  };
}
