import type { Federation } from "@fedify/fedify";
import { Dislike, Like, Note, Page } from "@fedify/vocab";
import type { DbHandle } from "../repos/database.ts";
import { toNote, toPage } from "./mappers/to-vocab.ts";
import { voteActivity } from "./outbox/votes.ts";

/**
 * Serves this instance's posts (`/post/{id}`) and comments (`/comment/{id}`) to ActivityPub
 * clients; the same URLs are the web pages. Deleted or remote content is not served.
 */
export function registerObjects(federation: Federation<void>, deps: { db: DbHandle }): void {
  federation.setObjectDispatcher(Page, "/post/{id}", async (_ctx, { id }) => {
    const row = await deps.db
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
        "agents.ap_id as author_ap_id",
        "submolts.ap_id as submolt_ap_id",
      ])
      .where("posts.id", "=", id)
      .where("posts.is_local", "=", 1)
      .where("posts.deleted_at", "is", null)
      .executeTakeFirst();
    if (row === undefined) return null;
    return toPage({
      apId: row.ap_id,
      title: row.title,
      content: row.content,
      url: row.url,
      authorApId: row.author_ap_id,
      authorFollowersUrl: `${row.author_ap_id}/followers`,
      submoltApId: row.submolt_ap_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  });

  federation.setObjectDispatcher(Note, "/comment/{id}", async (_ctx, { id }) => {
    const row = await deps.db
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
        "agents.ap_id as author_ap_id",
        "posts.ap_id as post_ap_id",
        "parent.ap_id as parent_ap_id",
        "submolts.ap_id as submolt_ap_id",
      ])
      .where("comments.id", "=", id)
      .where("comments.is_local", "=", 1)
      .where("comments.deleted_at", "is", null)
      .executeTakeFirst();
    if (row === undefined) return null;
    return toNote({
      apId: row.ap_id,
      content: row.content,
      inReplyTo: row.parent_ap_id ?? row.post_ap_id,
      authorApId: row.author_ap_id,
      submoltApId: row.submolt_ap_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  });

  // Votes are dereferenceable, so a submolt can relay them by URL and receivers check them here.
  federation.setObjectDispatcher(Like, "/like/{id}", async (ctx, { id }) => {
    const vote = await findLocalVote(deps.db, new URL(`/like/${id}`, ctx.canonicalOrigin).href);
    return vote?.value === 1
      ? (voteActivity(1, vote.apId, vote.voter, vote.object, vote.submolt) as Like)
      : null;
  });
  federation.setObjectDispatcher(Dislike, "/dislike/{id}", async (ctx, { id }) => {
    const vote = await findLocalVote(deps.db, new URL(`/dislike/${id}`, ctx.canonicalOrigin).href);
    return vote?.value === -1
      ? (voteActivity(-1, vote.apId, vote.voter, vote.object, vote.submolt) as Dislike)
      : null;
  });
}

/** A local agent's vote by its ap_id, with what it is on and the submolt that holds that. */
async function findLocalVote(db: DbHandle, apId: string) {
  const row = await db
    .selectFrom("votes")
    .innerJoin("agents", "agents.id", "votes.agent_id")
    .leftJoin("posts", "posts.id", "votes.post_id")
    .leftJoin("comments", "comments.id", "votes.comment_id")
    .leftJoin("posts as comment_post", "comment_post.id", "comments.post_id")
    .innerJoin("submolts", (join) =>
      join.on((eb) =>
        eb.or([
          eb("submolts.id", "=", eb.ref("posts.submolt_id")),
          eb("submolts.id", "=", eb.ref("comment_post.submolt_id")),
        ]),
      ),
    )
    .select([
      "votes.value",
      "agents.ap_id as voter",
      "posts.ap_id as post_ap_id",
      "comments.ap_id as comment_ap_id",
      "submolts.ap_id as submolt",
    ])
    .where("votes.ap_id", "=", apId)
    .where("agents.is_local", "=", 1)
    .executeTakeFirst();
  const object = row?.post_ap_id ?? row?.comment_ap_id;
  if (row === undefined || object === null || object === undefined) return undefined;
  return {
    apId,
    value: row.value,
    voter: new URL(row.voter),
    object: new URL(object),
    submolt: new URL(row.submolt),
  };
}
