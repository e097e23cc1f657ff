import type { AgentRow } from "../db/schema.ts";
import { AppError } from "../domain/errors.ts";
import type { DomainEvent } from "../domain/events.ts";
import { uuidv7 } from "../domain/ids.ts";
import { publicAgentName } from "../domain/names.ts";
import { hotRank } from "../domain/ranking.ts";
import { bumpKarma } from "../repos/agents.ts";
import { applyCommentVoteDelta, findComment } from "../repos/comments.ts";
import { inTransaction } from "../repos/database.ts";
import { appendOutboxEvents } from "../repos/outbox.ts";
import { applyPostVoteDelta, findLivePost, setPostHotRank } from "../repos/posts.ts";
import { findSubmoltById } from "../repos/submolts.ts";
import {
  deleteVote,
  findVote,
  insertVote,
  type StoredVote,
  updateVoteValue,
  type VoteTarget,
} from "../repos/votes.ts";
import type { ServiceContext } from "./context.ts";
import { notifyUpvote } from "./notifications.ts";
import { relayEventFor } from "./relay.ts";

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
    const existing = await findVote(trx, voter.id, target);
    const next = existing?.value === value ? 0 : value;
    const change = await setVote({ ...ctx, db: trx }, voter, target, content, existing, next);
    await recordVoteChange({ ...ctx, db: trx }, voter, content, change, existing?.value ?? 0);
    const action: VoteAction =
      next === 0
        ? "removed"
        : existing === undefined
          ? value === 1
            ? "upvoted"
            : "downvoted"
          : "changed";
    return { ...change.result, action };
  });
}

export interface VoteChange {
  readonly result: Omit<VoteResult, "action">;
  /** The ap_id of the vote this replaced or removed (to Undo), if any. */
  readonly previousApId: string | undefined;
  /** The ap_id of the vote now standing, if any. */
  readonly currentApId: string | undefined;
}

/**
 * Sets the voter's vote on the target to `next` (1, -1 or 0 for none), moving tallies, karma and
 * hot rank by the difference. Call inside the transaction that read `existing`, the voter's
 * current vote on the target (findVote). Remote votes bring their own ap_id.
 */
export async function setVote(
  ctx: ServiceContext,
  voter: AgentRow,
  target: VoteTarget,
  content: { authorId: string; postId: string },
  existing: StoredVote | undefined,
  next: -1 | 0 | 1,
  remoteApId?: string,
): Promise<VoteChange> {
  const now = ctx.clock.now().toISOString();
  const previous = existing?.value ?? 0;
  let currentApId: string | undefined = existing?.ap_id;
  if (next === 0) {
    if (existing !== undefined) await deleteVote(ctx.db, existing.id);
    currentApId = undefined;
  } else if (existing === undefined) {
    const id = uuidv7();
    currentApId = remoteApId ?? ctx.urls.vote(id, next);
    if (
      !(await insertVote(ctx.db, {
        id,
        ap_id: currentApId,
        agent_id: voter.id,
        target,
        value: next,
        now,
      }))
    ) {
      throw new AppError("conflict", "Vote already being recorded", { hint: "Try again." });
    }
  } else if (
    existing.value !== next ||
    (remoteApId !== undefined && remoteApId !== existing.ap_id)
  ) {
    // A changed vote is a new Like/Dislike on the wire: it gets a new id.
    currentApId = remoteApId ?? ctx.urls.vote(uuidv7(), next);
    await updateVoteValue(ctx.db, existing.id, next, currentApId, now);
  }
  const delta = {
    score: next - previous,
    upvotes: (next === 1 ? 1 : 0) - (previous === 1 ? 1 : 0),
    downvotes: (next === -1 ? 1 : 0) - (previous === -1 ? 1 : 0),
  };
  let tally: { score: number; upvotes: number; downvotes: number };
  if (target.kind === "post") {
    const post = await applyPostVoteDelta(ctx.db, target.id, delta);
    await setPostHotRank(ctx.db, target.id, hotRank(post.score, new Date(post.created_at)));
    tally = post;
  } else {
    tally = await applyCommentVoteDelta(ctx.db, target.id, delta);
  }
  const author = await bumpKarma(ctx.db, content.authorId, delta.score);
  if (next === 1 && previous !== 1)
    await notifyUpvote(ctx, voter.id, content.authorId, content.postId);
  return {
    result: {
      authorName: author === undefined ? "" : publicAgentName(author),
      score: tally.score,
      upvotes: tally.upvotes,
      downvotes: tally.downvotes,
      userVote: next === 0 ? null : next,
    },
    previousApId:
      existing !== undefined && existing.ap_id !== currentApId ? existing.ap_id : undefined,
    currentApId,
  };
}

/** The target's author, ActivityPub id and submolt; 404 when it is missing or deleted. */
export async function loadTarget(
  db: Parameters<typeof findLivePost>[0],
  target: VoteTarget,
): Promise<{ authorId: string; apId: string; submoltId: string | null; postId: string }> {
  if (target.kind === "post") {
    const post = await findLivePost(db, target.id);
    if (post === undefined)
      throw new AppError("not_found", "Post not found", { hint: "Check the post id." });
    return {
      authorId: post.author_id,
      apId: post.ap_id,
      submoltId: post.submolt_id,
      postId: post.id,
    };
  }
  const comment = await findComment(db, target.id);
  const post = comment === undefined ? undefined : await findLivePost(db, comment.post_id);
  if (comment === undefined || comment.deleted_at !== null || post === undefined) {
    throw new AppError("not_found", "Comment not found", { hint: "Check the comment id." });
  }
  return {
    authorId: comment.author_id,
    apId: comment.ap_id,
    submoltId: post.submolt_id,
    postId: post.id,
  };
}

/** Records a vote change in the outbox: sent to a remote submolt, or relayed by a local one. */
export async function recordVoteChange(
  ctx: ServiceContext,
  voter: AgentRow,
  content: { apId: string; submoltId: string | null },
  change: VoteChange,
  previousValue: -1 | 0 | 1,
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const event = {
    type: "vote.changed",
    voterId: voter.id,
    targetApId: content.apId,
    submoltId: content.submoltId,
    previousApId: change.previousApId ?? null,
    previousValue,
    currentApId: change.currentApId ?? null,
    currentValue: change.result.userVote ?? 0,
  } as const;
  const relayed = await relayVoteEvents(ctx, content.submoltId, change);
  await appendOutboxEvents(ctx.db, [event, ...relayed], now);
}

/**
 * A vote on content of a local submolt: its Group relays it to the followers by URL. A new vote is
 * fetched as it is; a vote taken back is announced by its old URL, which its own server now
 * answers 404 for, and that is what receivers take as its Undo (nobody else can make it so).
 */
export async function relayVote(
  ctx: ServiceContext,
  submoltId: string | null,
  change: VoteChange,
): Promise<void> {
  const events = await relayVoteEvents(ctx, submoltId, change);
  await appendOutboxEvents(ctx.db, events, ctx.clock.now().toISOString());
}

/** The outbox event by which a local submolt relays a vote (see relayVote); none otherwise. */
async function relayVoteEvents(
  ctx: ServiceContext,
  submoltId: string | null,
  change: VoteChange,
): Promise<DomainEvent[]> {
  const submolt = await findSubmoltById(ctx.db, submoltId);
  const objectApId = change.currentApId ?? change.previousApId;
  if (objectApId === undefined) return [];
  return relayEventFor(submolt, objectApId, null);
}
