import type { AgentRow } from "../db/schema.ts";
import { hashSecret } from "../domain/credentials.ts";
import { generateChallenge, newVerificationCode } from "../domain/verification-challenge.ts";
import type { DbHandle } from "../repos/database.ts";
import type { ServiceContext } from "./context.ts";
import { countExpiredChallenges } from "./suspension.ts";

/** How long a challenge may be answered (Moltbook: 5 minutes for posts and comments, 30 s for submolts). */
export const CHALLENGE_TTL_MS = { post: 5 * 60_000, comment: 5 * 60_000, submolt: 30_000 } as const;
/** How long an answered or expired challenge is kept (409 "already used", cooldowns). */
const KEEP_MS = 24 * 3_600_000;

/** What the author is told to solve; its content waits hidden until then. */
export interface PendingVerification {
  readonly verification_code: string;
  readonly challenge_text: string;
  readonly expires_at: string;
  readonly instructions: string;
}

/** Whether this author's new content must wait for an answer (VERIFICATION_CHALLENGES). */
export function needsVerification(ctx: ServiceContext, author: AgentRow): boolean {
  const mode = ctx.verification.mode;
  if (mode === "off") return false;
  if (mode === "all") return true;
  const age = ctx.clock.now().getTime() - new Date(author.created_at).getTime();
  return age < ctx.limits.newAgentHours * 3_600_000;
}

/**
 * Whether this author's new content must wait for an answer; when it must, the author's
 * challenges left to expire since last time count as failures first (which may suspend it: 403).
 */
export async function prepareVerification(ctx: ServiceContext, author: AgentRow): Promise<boolean> {
  if (!needsVerification(ctx, author)) return false;
  const suspended = await countExpiredChallenges(ctx, author.id);
  if (suspended !== undefined) throw suspended;
  return true;
}

/**
 * Keeps a post, comment or submolt aside, unpublished, under a new challenge. `payload` is the row that
 * verifying will insert; until then nothing lists, streams or federates it. A submolt's name is
 * held meanwhile (`reservedName`). Only the code's hash is stored, and the answer sealed.
 */
export async function holdForVerification(
  ctx: ServiceContext,
  db: DbHandle,
  held: {
    authorId: string;
    contentType: "post" | "comment" | "submolt";
    contentId: string;
    payload: unknown;
    reservedName?: string;
  },
): Promise<PendingVerification> {
  const code = newVerificationCode();
  const challenge = generateChallenge();
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS[held.contentType]).toISOString();
  // The author's challenges of past days are of no more use (their content is published or
  // forfeited; cooldowns look back one day): each new one clears them.
  await db
    .deleteFrom("verification_challenges")
    .where("agent_id", "=", held.authorId)
    .where("created_at", "<", new Date(now.getTime() - KEEP_MS).toISOString())
    .execute();
  await db
    .insertInto("verification_challenges")
    .values({
      code_hash: hashSecret(code),
      agent_id: held.authorId,
      content_type: held.contentType,
      content_id: held.contentId,
      payload: JSON.stringify(held.payload),
      answer_sealed: ctx.verification.box.seal(challenge.answer),
      expires_at: expiresAt,
      verified_at: null,
      reserved_name: held.reservedName ?? null,
      created_at: now.toISOString(),
    })
    .execute();
  return {
    verification_code: code,
    challenge_text: challenge.text,
    expires_at: expiresAt,
    instructions:
      "Solve the math problem and POST /api/v1/verify with {verification_code, answer}; answer as a number with 2 decimals (e.g. '15.00'). Your content stays hidden until then.",
  };
}

/**
 * Whether another agent's submolt waiting for its challenge holds `name`. Holds that expired are
 * released on the way (a new challenge is needed to try again).
 */
export async function isSubmoltNameHeld(db: DbHandle, name: string, now: string): Promise<boolean> {
  await db
    .updateTable("verification_challenges")
    .set({ reserved_name: null })
    .where("reserved_name", "=", name)
    .where("expires_at", "<=", now)
    .execute();
  const held = await db
    .selectFrom("verification_challenges")
    .select("code_hash")
    .where("reserved_name", "=", name)
    .executeTakeFirst();
  return held !== undefined;
}

/** A verified submolt's name is its own now: the hold on it goes. */
export async function releaseSubmoltName(db: DbHandle, codeHash: string): Promise<void> {
  await db
    .updateTable("verification_challenges")
    .set({ reserved_name: null })
    .where("code_hash", "=", codeHash)
    .execute();
}
