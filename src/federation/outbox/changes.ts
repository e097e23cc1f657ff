import type { Context } from "@fedify/fedify";
import { Delete, PUBLIC_COLLECTION, Tombstone, Update } from "@fedify/vocab";
import type { DbHandle } from "../../repos/database.ts";
import { toNote, toPage } from "../mappers/to-vocab.ts";
import { groupRecipient } from "./posts.ts";

interface ContentRow {
  readonly apId: string;
  readonly authorName: string;
  readonly authorApId: string;
  readonly submoltApId: string;
  readonly submoltIsLocal: boolean;
  readonly submoltInbox: string | null;
  readonly submoltSharedInbox: string | null;
  readonly object: () => ReturnType<typeof toPage> | ReturnType<typeof toNote>;
}

/**
 * A local agent edited or deleted its post or comment: Update(object) or Delete(Tombstone) from
 * the author to its followers, and to the submolt when that is remote (which relays it).
 */
export async function publishContentChange(
  ctx: Context<void>,
  db: DbHandle,
  eventId: string,
  event: { type: "content.updated" | "content.deleted"; kind: "post" | "comment"; id: string },
): Promise<void> {
  const row =
    event.kind === "post" ? await loadPost(db, event.id) : await loadComment(db, event.id);
  if (row === undefined) return;
  const identifier = row.authorName.toLowerCase();
  const actor = new URL(row.authorApId);
  const activity =
    event.type === "content.updated"
      ? new Update({
          id: new URL(`${row.apId}/updates/${eventId}`),
          actor,
          object: row.object(),
          tos: [PUBLIC_COLLECTION],
          ccs: [new URL(row.submoltApId)],
          audience: new URL(row.submoltApId),
        })
      : new Delete({
          id: new URL(`${row.apId}/delete`),
          actor,
          object: new Tombstone({ id: new URL(row.apId) }),
          tos: [PUBLIC_COLLECTION],
          ccs: [new URL(row.submoltApId)],
          audience: new URL(row.submoltApId),
        });
  await ctx.sendActivity({ identifier }, "followers", activity, {
    preferSharedInbox: true,
    orderingKey: row.apId,
  });
  if (!row.submoltIsLocal && row.submoltInbox !== null) {
    await ctx.sendActivity(
      { identifier },
      groupRecipient(row.submoltApId, row.submoltInbox, row.submoltSharedInbox),
      activity,
      { orderingKey: row.apId },
    );
  }
}

/** Content of a local submolt was deleted: the Group, which is authoritative, tells its followers. */
export async function publishSubmoltDelete(
  ctx: Context<void>,
  db: DbHandle,
  eventId: string,
  event: { submoltId: string; objectApId: string },
): Promise<void> {
  const submolt = await db
    .selectFrom("submolts")
    .select(["name", "is_local"])
    .where("id", "=", event.submoltId)
    .executeTakeFirst();
  if (submolt === undefined || submolt.is_local !== 1) return;
  const identifier = submolt.name.toLowerCase();
  const group = ctx.getActorUri(identifier);
  await ctx.sendActivity(
    { identifier },
    "followers",
    new Delete({
      id: new URL(`${group.href}/deletes/${eventId}`),
      actor: group,
      object: new URL(event.objectApId),
      tos: [PUBLIC_COLLECTION],
      ccs: [ctx.getFollowersUri(identifier)],
      audience: group,
    }),
    { preferSharedInbox: true },
  );
}

async function loadPost(db: DbHandle, id: string): Promise<ContentRow | undefined> {
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
      "agents.name",
      "agents.ap_id as author_ap_id",
      "submolts.ap_id as submolt_ap_id",
      "submolts.is_local",
      "submolts.inbox_url",
      "submolts.shared_inbox_url",
    ])
    .where("posts.id", "=", id)
    .where("posts.is_local", "=", 1)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    apId: row.ap_id,
    authorName: row.name,
    authorApId: row.author_ap_id,
    submoltApId: row.submolt_ap_id,
    submoltIsLocal: row.is_local === 1,
    submoltInbox: row.inbox_url,
    submoltSharedInbox: row.shared_inbox_url,
    object: () =>
      toPage({
        apId: row.ap_id,
        title: row.title,
        content: row.content,
        url: row.url,
        authorApId: row.author_ap_id,
        authorFollowersUrl: `${row.author_ap_id}/followers`,
        submoltApId: row.submolt_ap_id,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }),
  };
}

async function loadComment(db: DbHandle, id: string): Promise<ContentRow | undefined> {
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
      "agents.name",
      "agents.ap_id as author_ap_id",
      "posts.ap_id as post_ap_id",
      "parent.ap_id as parent_ap_id",
      "submolts.ap_id as submolt_ap_id",
      "submolts.is_local",
      "submolts.inbox_url",
      "submolts.shared_inbox_url",
    ])
    .where("comments.id", "=", id)
    .where("comments.is_local", "=", 1)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    apId: row.ap_id,
    authorName: row.name,
    authorApId: row.author_ap_id,
    submoltApId: row.submolt_ap_id,
    submoltIsLocal: row.is_local === 1,
    submoltInbox: row.inbox_url,
    submoltSharedInbox: row.shared_inbox_url,
    object: () =>
      toNote({
        apId: row.ap_id,
        content: row.content,
        inReplyTo: row.parent_ap_id ?? row.post_ap_id,
        authorApId: row.author_ap_id,
        submoltApId: row.submolt_ap_id,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }),
  };
}
