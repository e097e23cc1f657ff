import type { Context } from "@fedify/fedify";
import { Announce, Create, PUBLIC_COLLECTION } from "@fedify/vocab";
import { appLogger } from "../../lib/logger.ts";
import { toInstant } from "../../lib/temporal.ts";
import type { DbHandle } from "../../repos/database.ts";
import { toPage } from "../mappers/to-vocab.ts";

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
  postId: string,
): Promise<void> {
  const row = await db
    .selectFrom("posts")
    .innerJoin("submolts", "submolts.id", "posts.submolt_id")
    .select(["posts.ap_id", "posts.deleted_at", "submolts.name", "submolts.is_local"])
    .where("posts.id", "=", postId)
    .executeTakeFirst();
  if (row === undefined || row.deleted_at !== null || row.is_local !== 1) return;
  const identifier = row.name.toLowerCase();
  const group = ctx.getActorUri(identifier);
  const announce = new Announce({
    id: new URL(`${group.href}/announces/${eventId}`),
    actor: group,
    object: new URL(row.ap_id),
    tos: [PUBLIC_COLLECTION],
    ccs: [ctx.getFollowersUri(identifier)],
    audience: group,
  });
  await ctx.sendActivity({ identifier }, "followers", announce, { preferSharedInbox: true });
}
