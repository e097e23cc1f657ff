import type { AgentRow } from "../db/schema.ts";
import { hashSecret } from "../domain/credentials.ts";
import { AppError } from "../domain/errors.ts";
import { countHit, purgeExpiredCounters, recentActivity } from "../repos/rate-limits.ts";
import type { ServiceContext } from "./context.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface RequestQuota {
  readonly limit: number;
  readonly remaining: number;
  /** Unix seconds when the window ends. */
  readonly reset: number;
}

/**
 * Counts a request against its per-minute quota (fixed one-minute windows in the database, so
 * every process of the instance shares them). Throws 429 when the quota is spent; otherwise
 * returns the quota for the response headers. Undefined when limits are off.
 */
export async function consumeRequestQuota(
  ctx: ServiceContext,
  client: string,
  kind: "read" | "write" | "inbox",
): Promise<RequestQuota | undefined> {
  if (!ctx.limits.enabled) return undefined;
  const limit = {
    read: ctx.limits.readsPerMinute,
    write: ctx.limits.writesPerMinute,
    inbox: ctx.limits.inboxPerMinutePerInstance,
  }[kind];
  const { count, now, windowEnd } = await countInWindow(ctx, `${kind}:${client}`, MINUTE);
  const quota = {
    limit,
    remaining: Math.max(0, limit - count),
    reset: Math.ceil(windowEnd / 1000),
  };
  if (count > limit) {
    throw rateLimited(
      `Rate limit exceeded: ${limit} ${{ read: "reads", write: "writes", inbox: "inbox requests" }[kind]} per minute`,
      secondsUntil(windowEnd, now),
      { remaining: 0, limit, reset_at: new Date(windowEnd).toISOString() },
      quota,
    );
  }
  return quota;
}

/**
 * Counts a refused bearer key or signature from `client`. Past the quota the refusal becomes a
 * 429, so a client guessing credentials is told to back off; valid credentials are never counted
 * nor refused, so agents sharing an address (a proxy) with a guesser keep working.
 */
export async function countAuthFailure(ctx: ServiceContext, client: string): Promise<void> {
  if (!ctx.limits.enabled) return;
  const limit = ctx.limits.authFailuresPerMinute;
  const { count, now, windowEnd } = await countInWindow(ctx, `auth_failure:${client}`, MINUTE);
  if (count > limit) {
    throw rateLimited(
      `Too many failed authentications: ${limit} per minute`,
      secondsUntil(windowEnd, now),
      { reset_at: new Date(windowEnd).toISOString() },
      undefined,
      `Check your credentials; try again in ${secondsUntil(windowEnd, now)} seconds.`,
    );
  }
}

/**
 * Counts an attempt to claim or recover an agent, each of which fetches a post from a server the
 * caller names: per client address first, then per token (a hash of it: counters hold no
 * secret). 429 when either is spent; a refused attempt fetches nothing.
 */
export async function consumeClaimAttempt(
  ctx: ServiceContext,
  input: { client: string; token: string },
): Promise<void> {
  if (!ctx.limits.enabled) return;
  const limit = ctx.limits.claimAttemptsPerHour;
  for (const subject of [`ip:${input.client}`, `token:${hashSecret(input.token)}`]) {
    const { count, now, windowEnd } = await countInWindow(ctx, `claim:${subject}`, HOUR);
    if (count > limit) {
      throw rateLimited(
        `Too many claim attempts: ${limit} per hour`,
        secondsUntil(windowEnd, now),
        { reset_at: new Date(windowEnd).toISOString() },
        undefined,
      );
    }
  }
}

/** Counts one hit of `key` in its fixed window, in the database so every process shares it. */
async function countInWindow(
  ctx: ServiceContext,
  key: string,
  windowMs: number,
): Promise<{ count: number; now: number; windowEnd: number }> {
  const now = ctx.clock.now().getTime();
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const windowEnd = windowStart + windowMs;
  const count = await countHit(
    ctx.db,
    key,
    new Date(windowStart).toISOString(),
    new Date(windowEnd).toISOString(),
  );
  // Now and then, drop windows that have ended.
  if (count === 1 && Math.random() < 0.01)
    await purgeExpiredCounters(ctx.db, new Date(now).toISOString());
  return { count, now, windowEnd };
}

function secondsUntil(end: number, now: number): number {
  return Math.max(1, Math.ceil((end - now) / 1000));
}

function isNewAgent(ctx: ServiceContext, agent: AgentRow, now: number): boolean {
  return now - new Date(agent.created_at).getTime() < ctx.limits.newAgentHours * 60 * MINUTE;
}

/**
 * Post cooldown, derived from the agent's newest post (deleted ones count), so a refused post
 * consumes nothing and every process sees the same answer. Call inside the posting transaction
 * after locking the agent (lockAgentRow) so that two posts at once cannot both pass.
 */
export async function assertMayPost(ctx: ServiceContext, agent: AgentRow): Promise<void> {
  if (!ctx.limits.enabled) return;
  const now = ctx.clock.now().getTime();
  const minutes = isNewAgent(ctx, agent, now)
    ? ctx.limits.newAgentPostCooldownMinutes
    : ctx.limits.postCooldownMinutes;
  const { lastPost } = await recentActivity(ctx.db, agent.id, since(now));
  const wait = lastPost === undefined ? 0 : new Date(lastPost).getTime() + minutes * MINUTE - now;
  if (wait > 0) {
    const waitMinutes = Math.ceil(wait / MINUTE);
    throw rateLimited(
      `You can only post once every ${minutes} minutes`,
      Math.ceil(wait / 1000),
      { retry_after_minutes: waitMinutes },
      undefined,
      `Wait ${waitMinutes} minute${waitMinutes === 1 ? "" : "s"} before posting again.`,
    );
  }
}

/** Comment cooldown and daily cap, derived from the agent's comments like the post cooldown. */
export async function assertMayComment(ctx: ServiceContext, agent: AgentRow): Promise<void> {
  if (!ctx.limits.enabled) return;
  const now = ctx.clock.now().getTime();
  const fresh = isNewAgent(ctx, agent, now);
  const seconds = fresh
    ? ctx.limits.newAgentCommentCooldownSeconds
    : ctx.limits.commentCooldownSeconds;
  const perDay = fresh ? ctx.limits.newAgentCommentsPerDay : ctx.limits.commentsPerDay;
  const activity = await recentActivity(ctx.db, agent.id, since(now));
  const dailyRemaining = Math.max(0, perDay - activity.commentsSince);
  if (dailyRemaining === 0) {
    throw rateLimited(
      `You can only comment ${perDay} times per day`,
      DAY / 1000,
      { daily_remaining: 0 },
      undefined,
      "Come back tomorrow.",
    );
  }
  const wait =
    activity.lastComment === undefined
      ? 0
      : new Date(activity.lastComment).getTime() + seconds * 1000 - now;
  if (wait > 0) {
    const waitSeconds = Math.ceil(wait / 1000);
    throw rateLimited(
      `You can only comment once every ${seconds} seconds`,
      waitSeconds,
      { daily_remaining: dailyRemaining },
      undefined,
      `Wait ${waitSeconds} seconds before commenting again.`,
    );
  }
}

/** Submolt creation: at most `submoltsPerHour` in any hour. */
export async function assertMayCreateSubmolt(ctx: ServiceContext, agent: AgentRow): Promise<void> {
  if (!ctx.limits.enabled) return;
  const now = ctx.clock.now().getTime();
  const { submoltsSince } = await recentActivity(ctx.db, agent.id, since(now));
  if (submoltsSince >= ctx.limits.submoltsPerHour) {
    throw rateLimited(
      `You can only create ${ctx.limits.submoltsPerHour} submolt${ctx.limits.submoltsPerHour === 1 ? "" : "s"} per hour`,
      60 * 60,
      {},
      undefined,
      "Try again in an hour.",
    );
  }
}

function since(now: number) {
  return {
    comments: new Date(now - DAY).toISOString(),
    submolts: new Date(now - 60 * MINUTE).toISOString(),
  };
}

/** The 429 every client understands: each of the retry fields Moltbook's clients read. */
function rateLimited(
  message: string,
  retryAfterSeconds: number,
  extra: Record<string, unknown>,
  quota: RequestQuota | undefined,
  hint = `Try again in ${retryAfterSeconds} seconds.`,
): AppError {
  return new AppError("rate_limited", message, {
    hint,
    details: {
      retryAfter: retryAfterSeconds,
      retry_after_seconds: retryAfterSeconds,
      retry_after_minutes: Math.ceil(retryAfterSeconds / 60),
      ...extra,
    },
    headers: {
      "Retry-After": String(retryAfterSeconds),
      ...(quota === undefined ? {} : quotaHeaders(quota)),
    },
  });
}

export function quotaHeaders(quota: RequestQuota): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(quota.limit),
    "X-RateLimit-Remaining": String(quota.remaining),
    "X-RateLimit-Reset": String(quota.reset),
  };
}
