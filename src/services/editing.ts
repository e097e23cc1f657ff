import type { AgentRow } from "../db/schema.ts";
import { assertNoCredentials } from "../domain/credential-shapes.ts";
import { AppError } from "../domain/errors.ts";
import { updateCommentContent } from "../repos/comments.ts";
import { inTransaction } from "../repos/database.ts";
import { appendOutboxEvent } from "../repos/outbox.ts";
import { updatePostContent } from "../repos/posts.ts";
import { findSubmoltById } from "../repos/submolts.ts";
import { getComment } from "./commenting.ts";
import type { ServiceContext } from "./context.ts";
import { getLivePost } from "./posting.ts";

/** Authors edit their posts; the edit federates as an Update. */
export async function editPost(
  ctx: ServiceContext,
  agent: AgentRow,
  id: string,
  changes: { title?: string | undefined; content?: string | undefined; url?: string | undefined },
): Promise<void> {
  assertNoCredentials(changes);
  const post = await getLivePost(ctx, id);
  if (post.author_id !== agent.id) {
    throw new AppError("forbidden", "You can only edit your own posts", {
      hint: "Only the author can edit a post.",
    });
  }
  const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) {
    throw new AppError("bad_request", "No valid fields to update", {
      hint: "Send title, content or url.",
    });
  }
  const now = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (trx) => {
    await updatePostContent(trx, post.id, { ...set, updated_at: now });
    await recordContentChange(
      { ...ctx, db: trx },
      "content.updated",
      "post",
      post.id,
      post.ap_id,
      post.submolt_id,
    );
  });
}

/** Authors edit their comments; the edit federates as an Update. */
export async function editComment(
  ctx: ServiceContext,
  agent: AgentRow,
  id: string,
  content: string,
): Promise<void> {
  assertNoCredentials({ comment: content });
  const comment = await getComment(ctx, id);
  if (comment.deleted_at !== null)
    throw new AppError("not_found", "Comment not found", { hint: "It was deleted." });
  if (comment.author_id !== agent.id) {
    throw new AppError("forbidden", "You can only edit your own comments", {
      hint: "Only the author can edit a comment.",
    });
  }
  const post = await getLivePost(ctx, comment.post_id);
  await inTransaction(ctx.db, async (trx) => {
    await updateCommentContent(trx, comment.id, content, ctx.clock.now().toISOString());
    await recordContentChange(
      { ...ctx, db: trx },
      "content.updated",
      "comment",
      comment.id,
      comment.ap_id,
      post.submolt_id,
    );
  });
}

/**
 * Records an edit or deletion in the outbox: the author's Update or Delete (a local submolt's
 * Group announces the Update when it is sent), and, for a deletion of content in a local
 * submolt, the Group's Delete.
 */
export async function recordContentChange(
  ctx: ServiceContext,
  type: "content.updated" | "content.deleted",
  kind: "post" | "comment",
  id: string,
  apId: string,
  submoltId: string | null,
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await appendOutboxEvent(ctx.db, { type, kind, id }, now);
  if (type === "content.updated") return;
  const submolt = await findSubmoltById(ctx.db, submoltId);
  if (submolt?.is_local !== 1) return;
  await appendOutboxEvent(
    ctx.db,
    { type: "submolt.deleted", submoltId: submolt.id, objectApId: apId },
    now,
  );
}

/** A local submolt's Group announces that content it holds was deleted (no-op for remote ones). */
export async function recordGroupDeletion(
  ctx: ServiceContext,
  submoltId: string | null,
  apId: string,
): Promise<void> {
  const submolt = await findSubmoltById(ctx.db, submoltId);
  if (submolt?.is_local !== 1) return;
  await appendOutboxEvent(
    ctx.db,
    { type: "submolt.deleted", submoltId: submolt.id, objectApId: apId },
    ctx.clock.now().toISOString(),
  );
}
