import type { Context } from "@fedify/fedify";
import { Delete, PUBLIC_COLLECTION, Tombstone, Update } from "@fedify/vocab";
import type { DbHandle } from "../../repos/database.ts";
import { toNote, toPostNote } from "../mappers/to-vocab.ts";
import { loadCommentForWire, loadPostForWire } from "../wire-rows.ts";
import {
  groupRecipient,
  localSubmoltIdentifier,
  personRecipient,
  sendGroupAnnounce,
} from "./posts.ts";

/**
 * A local agent edited or deleted its post or comment: Update(object) or Delete(Tombstone) from
 * the author to its followers, and to the submolt when that is remote (which relays it); a local
 * submolt announces the Update itself.
 */
export async function publishContentChange(
  ctx: Context<void>,
  db: DbHandle,
  eventId: string,
  event: { type: "content.updated" | "content.deleted"; kind: "post" | "comment"; id: string },
): Promise<void> {
  const row =
    event.kind === "post"
      ? await loadPostForWire(db, event.id).then((p) => p && { ...p, object: () => toPostNote(p) })
      : await loadCommentForWire(db, event.id).then((c) => c && { ...c, object: () => toNote(c) });
  if (row === undefined || !row.isLocal) return;
  const identifier = row.authorName.toLowerCase();
  const actor = new URL(row.authorApId);
  const activity =
    event.type === "content.updated"
      ? new Update({
          id: new URL(`${row.apId}/updates/${eventId}`),
          actor,
          object: row.object(),
          ...addressing(row.submoltApId),
        })
      : new Delete({
          id: new URL(`${row.apId}/delete`),
          actor,
          object: new Tombstone({ id: new URL(row.apId) }),
          ...addressing(row.submoltApId),
        });
  await ctx.sendActivity({ identifier }, "followers", activity, {
    preferSharedInbox: true,
    orderingKey: row.apId,
  });
  if ("postAuthorApId" in row && row.submoltApId === null) {
    // A comment under a person's own post: that person hears of the change.
    const recipient = personRecipient(row);
    if (recipient !== undefined)
      await ctx.sendActivity({ identifier }, recipient, activity, { orderingKey: row.apId });
    return;
  }
  if (row.submoltApId === null) return;
  // A local submolt relays the edit as Announce(Update), by URL: the Update was just kept, so it
  // dereferences (kept.ts). Its deletions go out as the Group's Delete (submolt.deleted).
  if (row.submoltIsLocal && activity instanceof Update) {
    const group = await localSubmoltIdentifier(db, { apId: row.submoltApId });
    if (group === undefined) return;
    const id = new URL(`${ctx.getActorUri(group).href}/announces/${eventId}`);
    await sendGroupAnnounce(ctx, group, id, activity.id ?? new URL(row.apId), row.apId);
    return;
  }
  if (!row.submoltIsLocal && row.submoltInbox !== null) {
    await ctx.sendActivity(
      { identifier },
      groupRecipient(row.submoltApId, row.submoltInbox, row.submoltSharedInbox),
      activity,
      { orderingKey: row.apId },
    );
  }
}

function addressing(submoltApId: string | null) {
  if (submoltApId === null) return { tos: [PUBLIC_COLLECTION] };
  const submolt = new URL(submoltApId);
  return { tos: [PUBLIC_COLLECTION], ccs: [submolt], audience: submolt };
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
