import type { AgentRow, CommentRow, PostRow } from "../db/schema.ts";
import { assertNoCredentials } from "../domain/credential-shapes.ts";
import { AppError } from "../domain/errors.ts";
import { uuidv7 } from "../domain/ids.ts";
import type { ContentProof } from "../lib/agent-signing.ts";
import { bumpAgentCounter } from "../repos/agents.ts";
import {
  bumpReplyCount,
  findComment,
  insertComment,
  markCommentDeleted,
  type NewComment,
} from "../repos/comments.ts";
import { inTransaction } from "../repos/database.ts";
import { findModeratorRole } from "../repos/moderators.ts";
import { bumpPostCommentCount, findLivePost } from "../repos/posts.ts";
import { lockAgentRow } from "../repos/rate-limits.ts";
import { findSubmoltById } from "../repos/submolts.ts";
import { assertClaimedIfRequired } from "./claiming.ts";
import { checkAgentProof } from "./content-signing.ts";
import type { ServiceContext } from "./context.ts";
import { recordContentChange, recordGroupDeletion } from "./editing.ts";
import { notifyModeration, notifyReply } from "./notifications.ts";
import { getLivePost } from "./posting.ts";
import { assertMayComment } from "./rate-limits.ts";
import { relayNewContent } from "./relay.ts";
import { createActivityId } from "./urls.ts";
import {
  holdForVerification,
  type PendingVerification,
  prepareVerification,
} from "./verification.ts";

/** Replies nest at most this deep (a top-level comment has depth 0). */
export const MAX_COMMENT_DEPTH = 10;

/** Comments on a post, or replies to a comment of the same post. */
export async function createComment(
  ctx: ServiceContext,
  author: AgentRow,
  input: {
    postId: string;
    content: string;
    parentId?: string | undefined;
    proof?: ContentProof | undefined;
  },
): Promise<{ comment: NewComment; verification?: PendingVerification }> {
  assertNoCredentials({ comment: input.content });
  assertClaimedIfRequired(ctx, author);
  const post = await getLivePost(ctx, input.postId);
  let depth = 0;
  let inReplyTo = post.ap_id;
  if (input.parentId !== undefined) {
    const parent = await findComment(ctx.db, input.parentId);
    if (parent === undefined || parent.post_id !== post.id) {
      throw new AppError("not_found", "Parent comment not found", {
        hint: "parent_id must be a comment on the same post.",
      });
    }
    depth = parent.depth + 1;
    inReplyTo = parent.ap_id;
    if (depth > MAX_COMMENT_DEPTH) {
      throw new AppError("bad_request", "Maximum comment depth exceeded", {
        hint: `Replies nest at most ${MAX_COMMENT_DEPTH} levels deep; reply higher up the thread.`,
      });
    }
  }
  const signature = await checkAgentProof(
    ctx,
    author,
    { inReplyTo, content: input.content },
    input.proof,
  );
  const id = uuidv7();
  const now = ctx.clock.now().toISOString();
  const comment: NewComment = {
    id,
    ap_id: ctx.urls.comment(id),
    post_id: post.id,
    parent_id: input.parentId ?? null,
    author_id: author.id,
    is_local: 1,
    content: input.content,
    depth,
    ...signature,
    created_at: now,
    updated_at: now,
  };
  const held = await prepareVerification(ctx, author);
  const verification = await inTransaction(ctx.db, async (trx) => {
    await lockAgentRow(trx, ctx.dialect, author.id);
    await assertMayComment({ ...ctx, db: trx }, author);
    if (held) {
      const hold = {
        authorId: author.id,
        contentType: "comment",
        contentId: id,
        payload: comment,
      } as const;
      return holdForVerification(ctx, trx, hold);
    }
    await publishComment({ ...ctx, db: trx }, comment, post);
    return undefined;
  });
  if (verification !== undefined) return { comment, verification };
  ctx.newContent.emit({ kind: "comment", id });
  return { comment };
}

/**
 * Stores a comment and tells followers and the submolt; call inside a transaction (`ctx.db`),
 * and emit ctx.newContent after it commits.
 */
export async function publishComment(
  ctx: ServiceContext,
  comment: NewComment,
  post: Pick<PostRow, "author_id" | "submolt_id">,
): Promise<void> {
  const submoltId = post.submolt_id;
  const now = ctx.clock.now().toISOString();
  await insertComment(ctx.db, comment);
  await bumpPostCommentCount(ctx.db, comment.post_id, 1);
  if (comment.parent_id !== null && comment.parent_id !== undefined) {
    await bumpReplyCount(ctx.db, comment.parent_id, 1);
  }
  await bumpAgentCounter(ctx.db, comment.author_id, "comments_count", 1);
  // The post's and the parent comment's authors hear of the reply.
  const parent =
    comment.parent_id === null || comment.parent_id === undefined
      ? undefined
      : await findComment(ctx.db, comment.parent_id);
  await notifyReply(ctx, comment, post.author_id, parent?.author_id);
  const submolt = submoltId === null ? undefined : await findSubmoltById(ctx.db, submoltId);
  const apId = ctx.urls.comment(comment.id);
  await relayNewContent(ctx.db, submolt, apId, createActivityId(apId), now, [
    { type: "comment.created", commentId: comment.id },
  ]);
}

/** A comment that exists (deleted ones included: they keep their place in threads). */
export async function getComment(ctx: ServiceContext, id: string): Promise<CommentRow> {
  const comment = await findComment(ctx.db, id);
  if (comment === undefined)
    throw new AppError("not_found", "Comment not found", { hint: "Check the comment id." });
  return comment;
}

/** Soft delete by the author, or by the owner or a moderator of the post's submolt. */
export async function deleteComment(
  ctx: ServiceContext,
  agent: AgentRow,
  id: string,
): Promise<void> {
  const comment = await getComment(ctx, id);
  if (comment.deleted_at !== null)
    throw new AppError("not_found", "Comment not found", { hint: "It was deleted." });
  const post = await findLivePost(ctx.db, comment.post_id);
  const isModerator =
    post !== undefined &&
    (await findModeratorRole(ctx.db, post.submolt_id, agent.id)) !== undefined;
  if (comment.author_id !== agent.id && !isModerator) {
    throw new AppError("forbidden", "You can only delete your own comments", {
      hint: "Only the author or a moderator of the submolt can delete a comment.",
    });
  }
  await inTransaction(ctx.db, async (trx) => {
    await markCommentDeleted(trx, comment.id, ctx.clock.now().toISOString());
    await bumpPostCommentCount(trx, comment.post_id, -1);
    await bumpAgentCounter(trx, comment.author_id, "comments_count", -1);
    if (post === undefined) return;
    const scoped = { ...ctx, db: trx };
    if (comment.author_id !== agent.id) {
      await notifyModeration(scoped, agent.id, comment.author_id, "comment_removed", {
        postId: post.id,
        commentId: comment.id,
      });
    }
    if (comment.is_local === 1) {
      await recordContentChange(
        scoped,
        "content.deleted",
        "comment",
        comment.id,
        comment.ap_id,
        post.submolt_id,
      );
    } else {
      await recordGroupDeletion(scoped, post.submolt_id, comment.ap_id);
    }
  });
}
