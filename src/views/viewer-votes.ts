import { sql } from "kysely";
import { compiledRead } from "../db/compiled-read.ts";
import type { CommentJson } from "./comments.ts";

/** A vote's value as the read models show it. */
export type Vote = -1 | 1;

/** A viewer's vote on a post and on that post's comments. */
export interface ThreadVotes {
  /** undefined: no vote on the post. */
  readonly post: Vote | undefined;
  readonly comments: ReadonlyMap<string, Vote>;
}

/**
 * One statement, the same text on every request: the viewer's vote on the post (its
 * (agent_id, post_id) key) and on each of the post's comments (the post's comments by their
 * post index, each probing the viewer's (agent_id, comment_id) key).
 */
const threadVoteRows = compiledRead(["viewer", "post"], (db, { values: { viewer, post } }) =>
  db
    .selectFrom("votes")
    .select([sql<string | null>`null`.as("comment_id"), "value"])
    .where("agent_id", "=", viewer)
    .where("post_id", "=", post)
    .unionAll(
      db
        .selectFrom("comments")
        .innerJoin("votes", (join) =>
          join.onRef("votes.comment_id", "=", "comments.id").on("votes.agent_id", "=", viewer),
        )
        .select(["votes.comment_id", "votes.value"])
        .where("comments.post_id", "=", post),
    ),
);

/** The viewer's current votes on a post and its comments, read afresh (never cached). */
export async function readThreadVotes(
  db: Parameters<typeof threadVoteRows>[0],
  viewerId: string,
  postId: string,
): Promise<ThreadVotes> {
  let post: Vote | undefined;
  const comments = new Map<string, Vote>();
  for (const row of await threadVoteRows(db, { viewer: viewerId, post: postId })) {
    if (row.comment_id === null) post = row.value;
    else comments.set(row.comment_id, row.value);
  }
  return { post, comments };
}

/** The viewer's votes on any of a page's posts: one statement, the same text for any page. */
const postVoteRows = compiledRead(["viewer", "posts"], (db, { values, inList }) =>
  db
    .selectFrom("votes")
    .select(["post_id", "value"])
    .where("agent_id", "=", values.viewer)
    .where(inList("post_id", "posts")),
);

/** The viewer's current votes on these posts, by post id, read afresh (never cached). */
export async function readPostVotes(
  db: Parameters<typeof postVoteRows>[0],
  viewerId: string,
  postIds: readonly string[],
): Promise<Map<string, Vote>> {
  const rows = await postVoteRows(db, { viewer: viewerId, posts: postIds });
  return new Map(rows.flatMap((row) => (row.post_id === null ? [] : [[row.post_id, row.value]])));
}

/** The comments with the viewer's votes set; unchanged subtrees stay the same (shared) objects. */
export function withCommentVotes(
  comments: readonly CommentJson[],
  votes: ReadonlyMap<string, Vote>,
): readonly CommentJson[] {
  if (votes.size === 0) return comments;
  let changed = false;
  const next = comments.map((comment) => {
    const replies = withCommentVotes(comment.replies, votes);
    const vote = votes.get(comment.id);
    if (vote === undefined && replies === comment.replies) return comment;
    changed = true;
    return { ...comment, user_vote: vote ?? comment.user_vote, replies: [...replies] };
  });
  return changed ? next : comments;
}
