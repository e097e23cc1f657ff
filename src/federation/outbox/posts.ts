import type { Context } from "@fedify/fedify";
import { Announce, Create, PUBLIC_COLLECTION } from "@fedify/vocab";
import { appLogger } from "../../lib/logger.ts";
import { toInstant } from "../../lib/temporal.ts";
import type { DbHandle } from "../../repos/database.ts";
import { toNote, toPage } from "../mappers/to-vocab.ts";

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
  const row = await db
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
      "agents.name as author_name",
      "agents.ap_id as author_ap_id",
      "submolts.ap_id as submolt_ap_id",
      "submolts.is_local as submolt_is_local",
      "submolts.inbox_url as submolt_inbox",
      "submolts.shared_inbox_url as submolt_shared_inbox",
    ])
    .where("posts.id", "=", postId)
    .executeTakeFirst();
  if (row === undefined || row.deleted_at !== null) return;
  const identifier = row.author_name.toLowerCase();
  const followers = ctx.getFollowersUri(identifier);
  const page = toPage({
    apId: row.ap_id,
    title: row.title,
    content: row.content,
    url: row.url,
    authorApId: row.author_ap_id,
    authorFollowersUrl: followers.href,
    submoltApId: row.submolt_ap_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  const create = new Create({
    id: new URL(`${row.ap_id}/create`),
    actor: new URL(row.author_ap_id),
    object: page,
    tos: [new URL(row.submolt_ap_id), PUBLIC_COLLECTION],
    ccs: [followers],
    audience: new URL(row.submolt_ap_id),
    published: toInstant(row.created_at),
  });
  await ctx.sendActivity({ identifier }, "followers", create, {
    preferSharedInbox: true,
    orderingKey: row.ap_id,
  });
  if (row.submolt_is_local === 0) {
    if (row.submolt_inbox === null) {
      logger.warning("Remote submolt {submolt} has no inbox; post {post} stays local", {
        submolt: row.submolt_ap_id,
        post: row.ap_id,
      });
      return;
    }
    await ctx.sendActivity(
      { identifier },
      {
        id: new URL(row.submolt_ap_id),
        inboxId: new URL(row.submolt_inbox),
        endpoints: {
          sharedInbox: row.submolt_shared_inbox === null ? null : new URL(row.submolt_shared_inbox),
        },
      },
      create,
      { orderingKey: row.ap_id },
    );
  }
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
  const row = await db
    .selectFrom("comments")
    .innerJoin("agents", "agents.id", "comments.author_id")
    .innerJoin("posts", "posts.id", "comments.post_id")
    .innerJoin("submolts", "submolts.id", "posts.submolt_id")
    .leftJoin("comments as parent", "parent.id", "comments.parent_id")
    .select([
      "comments.ap_id",
      "comments.content",
      "comments.created_at",
      "comments.updated_at",
      "comments.deleted_at",
      "agents.name as author_name",
      "agents.ap_id as author_ap_id",
      "posts.ap_id as post_ap_id",
      "parent.ap_id as parent_ap_id",
      "submolts.ap_id as submolt_ap_id",
      "submolts.is_local as submolt_is_local",
      "submolts.inbox_url as submolt_inbox",
      "submolts.shared_inbox_url as submolt_shared_inbox",
    ])
    .where("comments.id", "=", commentId)
    .executeTakeFirst();
  if (row === undefined || row.deleted_at !== null || row.submolt_is_local === 1) return;
  if (row.submolt_inbox === null) return;
  const note = toNote({
    apId: row.ap_id,
    content: row.content,
    inReplyTo: row.parent_ap_id ?? row.post_ap_id,
    authorApId: row.author_ap_id,
    submoltApId: row.submolt_ap_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  const create = new Create({
    id: new URL(`${row.ap_id}/create`),
    actor: new URL(row.author_ap_id),
    object: note,
    tos: [PUBLIC_COLLECTION],
    ccs: [new URL(row.submolt_ap_id)],
    audience: new URL(row.submolt_ap_id),
  });
  await ctx.sendActivity(
    { identifier: row.author_name.toLowerCase() },
    groupRecipient(row.submolt_ap_id, row.submolt_inbox, row.submolt_shared_inbox),
    create,
    { orderingKey: row.post_ap_id },
  );
}

export function groupRecipient(apId: string, inbox: string, sharedInbox: string | null) {
  return {
    id: new URL(apId),
    inboxId: new URL(inbox),
    endpoints: { sharedInbox: sharedInbox === null ? null : new URL(sharedInbox) },
  };
}
