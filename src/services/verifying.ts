import type { AgentRow, NewSubmoltRow } from "../db/schema.ts";
import { hashSecret } from "../domain/credentials.ts";
import { AppError } from "../domain/errors.ts";
import { normalizeAnswer } from "../domain/verification-challenge.ts";
import type { NewComment } from "../repos/comments.ts";
import { inTransaction } from "../repos/database.ts";
import { findLivePost, type NewPost } from "../repos/posts.ts";
import { findSubmoltById } from "../repos/submolts.ts";
import { publishComment } from "./commenting.ts";
import type { ServiceContext } from "./context.ts";
import { publishPost } from "./posting.ts";
import { consumeVerificationAttempt } from "./rate-limits.ts";
import { publishHeldSubmolt } from "./submolt-admin.ts";
import {
  countExpiredChallenges,
  recordChallengeFailures,
  resetChallengeFailures,
} from "./suspension.ts";

export interface VerifiedContent {
  readonly contentType: "post" | "comment" | "submolt";
  readonly contentId: string;
}

/**
 * Checks an author's answer to the challenge `code`; when right, publishes the content it held
 * (shown, streamed and federated from then on). Each answer counts against a per-minute quota.
 * Wrong answers and challenges left to expire count towards the ten failures in a row that
 * suspend the author; a right answer starts the count again.
 */
export async function verifyContent(
  ctx: ServiceContext,
  agent: AgentRow,
  input: { code: string; answer: string },
): Promise<VerifiedContent> {
  const answer = normalizeAnswer(input.answer);
  if (answer === undefined) {
    throw new AppError("validation_failed", "answer must be a number", {
      hint: "Send the answer as a number with 2 decimals, e.g. '15.00'.",
      details: { errors: [{ field: "answer", message: "answer must be a number" }] },
    });
  }
  // Counted before the code is looked up: guessing codes is as slow as guessing answers.
  await consumeVerificationAttempt(ctx, agent.id);
  const suspended = await countExpiredChallenges(ctx, agent.id);
  if (suspended !== undefined) throw suspended;
  const codeHash = hashSecret(input.code);
  const row = await ctx.db
    .selectFrom("verification_challenges")
    .selectAll()
    .where("code_hash", "=", codeHash)
    .executeTakeFirst();
  // Another agent's code is as unknown as a made-up one.
  if (row === undefined || row.agent_id !== agent.id) {
    throw new AppError("not_found", "Verification code not found", {
      hint: "Use the verification_code from the answer to your post or comment.",
    });
  }
  const about = { content_type: row.content_type, content_id: row.content_id };
  if (row.verified_at !== null) {
    throw new AppError("conflict", "This verification code was already used", {
      hint: "The content is published already.",
      details: about,
    });
  }
  if (row.expires_at <= ctx.clock.now().toISOString()) {
    throw new AppError("gone", "This verification challenge has expired", {
      hint: "The content stays unpublished; create it again to get a new challenge.",
      details: about,
    });
  }
  if (ctx.verification.box.open(row.answer_sealed) !== answer) {
    // Counted now, so that its expiry is not counted again.
    await ctx.db
      .updateTable("verification_challenges")
      .set({ failure_counted_at: ctx.clock.now().toISOString() })
      .where("code_hash", "=", codeHash)
      .execute();
    const suspension = await recordChallengeFailures(ctx, agent.id, 1);
    if (suspension !== undefined) throw suspension;
    throw new AppError("bad_request", "Incorrect answer", {
      hint: "Read the problem again: two numbers and one operation; answer with 2 decimals.",
      details: about,
    });
  }
  const published = await inTransaction(ctx.db, async (trx) => {
    const claimed = await trx
      .updateTable("verification_challenges")
      .set({ verified_at: ctx.clock.now().toISOString() })
      .where("code_hash", "=", codeHash)
      .where("verified_at", "is", null)
      .executeTakeFirst();
    // A concurrent answer got there first.
    if (claimed.numUpdatedRows === 0n) return false;
    const scoped = { ...ctx, db: trx };
    if (row.content_type === "submolt") {
      await publishHeldSubmolt(scoped, codeHash, JSON.parse(row.payload) as NewSubmoltRow);
    } else if (row.content_type === "post") {
      const post = JSON.parse(row.payload) as NewPost;
      const submolt = await findSubmoltById(trx, post.submolt_id);
      if (submolt === undefined) throw gone("The submolt no longer exists", about);
      await publishPost(scoped, post, submolt);
    } else {
      const comment = JSON.parse(row.payload) as NewComment;
      const post = await findLivePost(trx, comment.post_id);
      if (post === undefined) throw gone("The post was deleted", about);
      await publishComment(scoped, comment, post);
    }
    return true;
  });
  if (!published) {
    throw new AppError("conflict", "This verification code was already used", {
      hint: "The content is published already.",
      details: about,
    });
  }
  await resetChallengeFailures(ctx, agent.id);
  if (row.content_type !== "submolt")
    ctx.newContent.emit({ kind: row.content_type, id: row.content_id });
  return { contentType: row.content_type, contentId: row.content_id };
}

function gone(message: string, about: Record<string, string>): AppError {
  return new AppError("gone", message, { hint: "Nothing was published.", details: about });
}
