import type { AgentRow } from "../db/schema.ts";
import { AppError } from "../domain/errors.ts";
import { uuidv7 } from "../domain/ids.ts";
import { hotRank } from "../domain/ranking.ts";
import { bumpAgentCounter, findAgentById } from "../repos/agents.ts";
import { applyCommentVoteDelta, findComment } from "../repos/comments.ts";
import { inTransaction } from "../repos/database.ts";
import { applyPostVoteDelta, findLivePost, setPostHotRank } from "../repos/posts.ts";
import {
  deleteVote,
  findVote,
  insertVote,
  updateVoteValue,
  type VoteTarget,
} from "../repos/votes.ts";
import type { ServiceContext } from "./context.ts";

export type VoteDirection = "up" | "down";
export type VoteAction = "upvoted" | "downvoted" | "removed" | "changed";

export interface VoteResult {
  readonly action: VoteAction;
  readonly authorName: string;
  readonly score: number;
  readonly upvotes: number;
  readonly downvotes: number;
  /** The voter's vote after this call. */
  readonly userVote: -1 | 1 | null;
}

/**
 * Toggle semantics: a new vote counts, the same vote again takes it back, the opposite vote
 * changes it. Vote row, tallies, the author's karma and the post's hot rank move in one transaction.
 */
export async function castVote(
  ctx: ServiceContext,
  voter: AgentRow,
  target: VoteTarget,
  direction: VoteDirection,
): Promise<VoteResult> {
  const value = direction === "up" ? 1 : -1;
  return inTransaction(ctx.db, async (trx) => {
    const content = await loadTarget(trx, target);
    if (content.authorId === voter.id) {
      throw new AppError("bad_request", "Cannot vote on your own content", {
        hint: "Vote on other agents' posts and comments.",
      });
    }
    const now = ctx.clock.now().toISOString();
    const existing = await findVote(trx, voter.id, target);
    let action: VoteAction;
    let previous = 0;
    if (existing === undefined) {
      const id = uuidv7();
      if (
        !(await insertVote(trx, {
          id,
          ap_id: ctx.urls.vote(id),
          agent_id: voter.id,
          target,
          value,
          now,
        }))
      ) {
        throw new AppError("conflict", "Vote already being recorded", { hint: "Try again." });
      }
      action = value === 1 ? "upvoted" : "downvoted";
    } else if (existing.value === value) {
      await deleteVote(trx, existing.id);
      previous = existing.value;
      action = "removed";
    } else {
      // A changed vote is a new Like/Dislike on the wire: give it a new id.
      const id = uuidv7();
      await updateVoteValue(trx, existing.id, value, ctx.urls.vote(id), now);
      previous = existing.value;
      action = "changed";
    }
    const current = action === "removed" ? 0 : value;
    const delta = {
      score: current - previous,
      upvotes: (current === 1 ? 1 : 0) - (previous === 1 ? 1 : 0),
      downvotes: (current === -1 ? 1 : 0) - (previous === -1 ? 1 : 0),
    };
    let tally: { score: number; upvotes: number; downvotes: number };
    if (target.kind === "post") {
      const post = await applyPostVoteDelta(trx, target.id, delta);
      await setPostHotRank(trx, target.id, hotRank(post.score, new Date(post.created_at)));
      tally = post;
    } else {
      tally = await applyCommentVoteDelta(trx, target.id, delta);
    }
    await bumpAgentCounter(trx, content.authorId, "karma", delta.score);
    const author = await findAgentById(trx, content.authorId);
    return {
      action,
      authorName: author?.name ?? "",
      score: tally.score,
      upvotes: tally.upvotes,
      downvotes: tally.downvotes,
      userVote: current === 0 ? null : (current as -1 | 1),
    };
  });
}

async function loadTarget(
  db: Parameters<typeof findLivePost>[0],
  target: VoteTarget,
): Promise<{ authorId: string }> {
  if (target.kind === "post") {
    const post = await findLivePost(db, target.id);
    if (post === undefined)
      throw new AppError("not_found", "Post not found", { hint: "Check the post id." });
    return { authorId: post.author_id };
  }
  const comment = await findComment(db, target.id);
  if (comment === undefined || comment.deleted_at !== null) {
    throw new AppError("not_found", "Comment not found", { hint: "Check the comment id." });
  }
  return { authorId: comment.author_id };
}
