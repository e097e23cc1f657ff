import type { Federation } from "@fedify/fedify";
import { Create, Dislike, Like, Note } from "@fedify/vocab";
import type { DbHandle } from "../repos/database.ts";
import { toCommentCreate, toNote, toPostCreate, toPostNote } from "./mappers/to-vocab.ts";
import { voteActivity } from "./outbox/votes.ts";
import { loadCommentForWire, loadPostForWire } from "./wire-rows.ts";

/**
 * Serves this instance's posts (`/post/{id}`) and comments (`/comment/{id}`) to ActivityPub
 * clients; the same URLs are the web pages. Deleted or remote content is not served.
 */
export function registerObjects(federation: Federation<void>, deps: { db: DbHandle }): void {
  // Posts and comments are both Notes, and Fedify takes one dispatcher per class: one path for
  // both. Any other `kind`, and whatever is not a live local post or comment, is left to the web
  // routes (a null here falls through to them).
  federation.setObjectDispatcher(Note, "/{kind}/{id}", async (_ctx, { kind, id }) => {
    if (kind === "post") {
      const post = await loadPostForWire(deps.db, id);
      return post === undefined || !post.isLocal || post.deleted ? null : toPostNote(post);
    }
    if (kind !== "comment") return null;
    const comment = await loadCommentForWire(deps.db, id);
    return comment === undefined || !comment.isLocal || comment.deleted ? null : toNote(comment);
  });

  // The Creates that published them too: a submolt relays them by URL (FEP-1b12). Fedify takes
  // one dispatcher per class, hence one path for both.
  federation.setObjectDispatcher(Create, "/{kind}/{id}/create", async (_ctx, { kind, id }) => {
    if (kind === "post") {
      const post = await loadPostForWire(deps.db, id);
      return post === undefined || !post.isLocal || post.deleted ? null : toPostCreate(post);
    }
    if (kind !== "comment") return null;
    const comment = await loadCommentForWire(deps.db, id);
    return comment === undefined || !comment.isLocal || comment.deleted
      ? null
      : toCommentCreate(comment);
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
