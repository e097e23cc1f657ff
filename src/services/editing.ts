import type { AgentRow } from "../db/schema.ts";
import { assertNoCredentials } from "../domain/credential-shapes.ts";
import { AppError } from "../domain/errors.ts";
import type { ContentProof } from "../lib/agent-signing.ts";
import { findComment, updateCommentContent } from "../repos/comments.ts";
import { inTransaction } from "../repos/database.ts";
import { appendOutboxEvent } from "../repos/outbox.ts";
import { updatePostContent } from "../repos/posts.ts";
import { findSubmoltById } from "../repos/submolts.ts";
import { getComment } from "./commenting.ts";
import { checkAgentProof, UNSIGNED } from "./content-signing.ts";
import type { ServiceContext } from "./context.ts";
import { getLivePost } from "./posting.ts";

/** Authors edit their posts; the edit federates as an Update. */
export async function editPost(
  ctx: ServiceContext,
  agent: AgentRow,
  id: string,
  edit: {
    title?: string | undefined;
    content?: string | undefined;
    url?: string | undefined;
    proof?: ContentProof | undefined;
  },
): Promise<void> {
  const { proof, ...changes } = edit;
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
  // The proof covers the post as it will read after the edit; without one the mark goes.
  const edited = { title: post.title, content: post.content, url: post.url, ...set };
  const submolt = await findSubmoltById(ctx.db, post.submolt_id);
  const signature =
    submolt === undefined
      ? UNSIGNED
      : await checkAgentProof(ctx, agent, { submolt: submolt.ap_id, ...edited }, proof);
  const now = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (trx) => {
    await updatePostContent(trx, post.id, { ...set, ...signature, updated_at: now });
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
  proof?: ContentProof | undefined,
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
  const parent =
    comment.parent_id === null ? undefined : await findComment(ctx.db, comment.parent_id);
  const inReplyTo = parent?.ap_id ?? post.ap_id;
  const signature = await checkAgentProof(ctx, agent, { inReplyTo, content }, proof);
  await inTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now().toISOString();
    await updateCommentContent(trx, comment.id, content, now, null, signature);
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
