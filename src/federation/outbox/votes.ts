import type { Context } from "@fedify/fedify";
import { Dislike, Like, Undo } from "@fedify/vocab";
import type { PostEvent } from "../../domain/events.ts";
import type { DbHandle } from "../../repos/database.ts";
import { groupRecipient } from "./posts.ts";

type VoteEvent = Extract<PostEvent, { type: "vote.changed" }>;

/**
 * A local agent's vote moved: Undo of the vote it replaced, then Like or Dislike of the new one,
 * with the submolt as audience (Lemmy's shape). Sent to a remote submolt, which relays them; a
 * local submolt relays the new vote itself (submolt.announced).
 */
export async function publishVoteChanged(
  ctx: Context<void>,
  db: DbHandle,
  event: VoteEvent,
): Promise<void> {
  if (event.submoltId === null) return publishPersonalVote(ctx, db, event);
  const row = await db
    .selectFrom("submolts")
    .innerJoin("agents", (join) => join.on("agents.id", "=", event.voterId))
    .select([
      "submolts.ap_id",
      "submolts.is_local",
      "submolts.inbox_url",
      "submolts.shared_inbox_url",
      "agents.name",
      "agents.ap_id as voter_ap_id",
    ])
    .where("submolts.id", "=", event.submoltId)
    .executeTakeFirst();
  if (row === undefined || row.is_local === 1 || row.inbox_url === null) return;
  const recipient = groupRecipient(row.ap_id, row.inbox_url, row.shared_inbox_url);
  const sender = { identifier: row.name.toLowerCase() };
  const actor = new URL(row.voter_ap_id);
  const audience = new URL(row.ap_id);
  const object = new URL(event.targetApId);
  if (event.previousApId !== null && event.previousValue !== 0) {
    const previous = voteActivity(event.previousValue, event.previousApId, actor, object, audience);
    await ctx.sendActivity(
      sender,
      recipient,
      new Undo({ id: new URL(`${event.previousApId}/undo`), actor, object: previous, audience }),
      { orderingKey: event.targetApId },
    );
  }
  if (event.currentApId !== null && event.currentValue !== 0) {
    await ctx.sendActivity(
      sender,
      recipient,
      voteActivity(event.currentValue, event.currentApId, actor, object, audience),
      { orderingKey: event.targetApId },
    );
  }
}

/**
 * A vote on a person's own post (in no submolt), or on a comment under one: sent to the author
 * of what was voted on (Mastodon takes a Like as a favourite).
 */
async function publishPersonalVote(ctx: Context<void>, db: DbHandle, event: VoteEvent) {
  const author = (table: "posts" | "comments") =>
    db
      .selectFrom(table)
      .innerJoin("agents", "agents.id", `${table}.author_id`)
      .select(["agents.ap_id", "agents.is_local", "agents.inbox_url", "agents.shared_inbox_url"])
      .where(`${table}.ap_id`, "=", event.targetApId)
      .executeTakeFirst();
  const target = (await author("posts")) ?? (await author("comments"));
  const voter = await db
    .selectFrom("agents")
    .select(["name", "ap_id"])
    .where("id", "=", event.voterId)
    .executeTakeFirst();
  if (target === undefined || voter === undefined) return;
  if (target.is_local === 1 || target.inbox_url === null) return;
  const recipient = groupRecipient(target.ap_id, target.inbox_url, target.shared_inbox_url);
  const sender = { identifier: voter.name.toLowerCase() };
  const actor = new URL(voter.ap_id);
  const object = new URL(event.targetApId);
  if (event.previousApId !== null && event.previousValue !== 0) {
    const previous = voteActivity(event.previousValue, event.previousApId, actor, object);
    await ctx.sendActivity(
      sender,
      recipient,
      new Undo({ id: new URL(`${event.previousApId}/undo`), actor, object: previous }),
      { orderingKey: event.targetApId },
    );
  }
  if (event.currentApId !== null && event.currentValue !== 0) {
    await ctx.sendActivity(
      sender,
      recipient,
      voteActivity(event.currentValue, event.currentApId, actor, object),
      { orderingKey: event.targetApId },
    );
  }
}

export function voteActivity(
  value: 1 | -1,
  id: string,
  actor: URL,
  object: URL,
  audience?: URL,
): Like | Dislike {
  const fields = {
    id: new URL(id),
    actor,
    object,
    ...(audience === undefined ? {} : { audience }),
  };
  return value === 1 ? new Like(fields) : new Dislike(fields);
}
