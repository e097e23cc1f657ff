import type { AgentRow } from "../db/schema.ts";
import { hashSecret } from "../domain/credentials.ts";
import { AppError } from "../domain/errors.ts";
import { countHit, purgeExpiredCounters, readHits, recentActivity } from "../repos/rate-limits.ts";
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
 * returns the quota for the response headers. Undefined when limits are off. `inbox` is the
 * quota of one client address on inbox POSTs, whoever they claim to come from.
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
    inbox: ctx.limits.inboxPerMinutePerClient,
  }[kind];
  const window = windowAt(ctx, MINUTE);
  const count = await countHit(ctx.db, `${kind}:${client}`, window.start, window.end);
  const quota = quotaOf(window, limit, count);
  if (count > limit) {
    throw overQuota(
      window,
      quota,
      `${{ read: "reads", write: "writes", inbox: "inbox requests" }[kind]} per minute`,
    );
  }
  // Now and then, drop windows that have ended.
  if (count === 1 && Math.random() < 0.01) await purgeExpiredCounters(ctx.db, window.nowIso);
  return quota;
}

/**
 * 429 when the remote instance `domain` (a registrable domain) has had its quota of verified
 * activities this minute. Counts nothing: only verified activities count (countVerifiedInbound),
 * so requests that merely claim to come from an instance cannot spend its quota.
 */
export async function assertInboxQuotaLeft(ctx: ServiceContext, domain: string): Promise<void> {
  if (!ctx.limits.enabled) return;
  const limit = ctx.limits.inboxPerMinutePerInstance;
  const window = windowAt(ctx, MINUTE);
  const count = await readHits(ctx.db, `inbox:instance:${domain}`, window.start);
  if (count >= limit) {
    throw overQuota(
      window,
      quotaOf(window, limit, count),
      "activities per minute from one instance",
    );
  }
}

/** Answers to verification challenges one agent may send per minute (Moltbook's figure). */
export const VERIFICATION_ANSWERS_PER_MINUTE = 30;

/**
 * Counts an answer to a verification challenge; 429 past the quota. Always on, whatever
 * RATE_LIMITS says: an answer is a guess at a small number, and guessing must stay slow.
 */
export async function consumeVerificationAttempt(
  ctx: ServiceContext,
  agentId: string,
): Promise<void> {
  const window = windowAt(ctx, MINUTE);
  const count = await countHit(ctx.db, `verify:${agentId}`, window.start, window.end);
  if (count > VERIFICATION_ANSWERS_PER_MINUTE) {
    throw overQuota(
      window,
      quotaOf(window, VERIFICATION_ANSWERS_PER_MINUTE, count),
      "verification answers per minute",
    );
  }
}

/** Counts one verified activity of the remote instance `domain` against its quota. */
export async function countVerifiedInbound(ctx: ServiceContext, domain: string): Promise<void> {
  if (!ctx.limits.enabled) return;
  const window = windowAt(ctx, MINUTE);
  await countHit(ctx.db, `inbox:instance:${domain}`, window.start, window.end);
}

/**
 * Whether one more post (or comment) of the remote actor `authorId` may be stored this hour;
 * counts it when it may. Remote actors get their own allowance, not the local cooldowns: their
 * content was written elsewhere, under that instance's rules, but a flood stops here.
 */
export async function mayStoreRemoteContent(
  ctx: ServiceContext,
  authorId: string,
  kind: "post" | "comment" | "dm",
): Promise<boolean> {
  if (!ctx.limits.enabled) return true;
  const limit = {
    post: ctx.limits.remotePostsPerHour,
    comment: ctx.limits.remoteCommentsPerHour,
    // People elsewhere get the local agents' hourly cap on direct messages.
    dm: ctx.limits.dmMessagesPerHour,
  }[kind];
  const window = windowAt(ctx, HOUR);
  return (await countHit(ctx.db, `remote-${kind}:${authorId}`, window.start, window.end)) <= limit;
}

/**
 * Counts a refused bearer key or signature from `client`. Past the quota the refusal becomes a
 * 429, so a client guessing credentials is told to back off; valid credentials are never counted
 * nor refused, so agents sharing an address (a proxy) with a guesser keep working.
 */
export async function countAuthFailure(ctx: ServiceContext, client: string): Promise<void> {
  if (!ctx.limits.enabled) return;
  const limit = ctx.limits.authFailuresPerMinute;
  const window = windowAt(ctx, MINUTE);
  if ((await countHit(ctx.db, `auth_failure:${client}`, window.start, window.end)) > limit) {
    const seconds = secondsLeft(window);
    throw rateLimited(
      `Too many failed authentications: ${limit} per minute`,
      seconds,
      { reset_at: window.end },
      undefined,
      `Check your credentials; try again in ${seconds} seconds.`,
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
  const window = windowAt(ctx, HOUR);
  for (const subject of [`ip:${input.client}`, `token:${hashSecret(input.token)}`]) {
    if ((await countHit(ctx.db, `claim:${subject}`, window.start, window.end)) > limit) {
      throw rateLimited(
        `Too many claim attempts: ${limit} per hour`,
        secondsLeft(window),
        {
          reset_at: window.end,
        },
        undefined,
      );
    }
  }
}

interface Window {
  readonly now: number;
  readonly nowIso: string;
  /** ISO-8601 start and end of the fixed window now falls in. */
  readonly start: string;
  readonly end: string;
  readonly endMs: number;
}

function windowAt(ctx: ServiceContext, length: number): Window {
  const now = ctx.clock.now().getTime();
  const start = Math.floor(now / length) * length;
  return {
    now,
    nowIso: new Date(now).toISOString(),
    start: new Date(start).toISOString(),
    end: new Date(start + length).toISOString(),
    endMs: start + length,
  };
}

function quotaOf(window: Window, limit: number, count: number): RequestQuota {
  return { limit, remaining: Math.max(0, limit - count), reset: Math.ceil(window.endMs / 1000) };
}

function secondsLeft(window: Window): number {
  return Math.max(1, Math.ceil((window.endMs - window.now) / 1000));
}

function overQuota(window: Window, quota: RequestQuota, what: string): AppError {
  return rateLimited(
    `Rate limit exceeded: ${quota.limit} ${what}`,
    secondsLeft(window),
    { remaining: 0, limit: quota.limit, reset_at: window.end },
    quota,
  );
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

/**
 * Direct messages: refused (403) while the agent is new, then counted against the hourly caps
 * (a request is also a message). Off with the other limits.
 */
export async function consumeDirectMessageQuota(
  ctx: ServiceContext,
  agent: AgentRow,
  kind: "request" | "message",
): Promise<void> {
  if (!ctx.limits.enabled) return;
  const now = ctx.clock.now().getTime();
  if (isNewAgent(ctx, agent, now)) {
    const hours = ctx.limits.newAgentHours;
    const waitHours = Math.ceil(
      (new Date(agent.created_at).getTime() + hours * 60 * MINUTE - now) / (60 * MINUTE),
    );
    throw new AppError(
      "forbidden",
      `Agents younger than ${hours} hours cannot send direct messages`,
      {
        hint: `Post and comment meanwhile; you can send direct messages in ${waitHours} hour${waitHours === 1 ? "" : "s"}.`,
        details: { retry_after_hours: waitHours },
      },
    );
  }
  const window = windowAt(ctx, HOUR);
  const caps =
    kind === "request"
      ? ([
          ["dm-request", ctx.limits.dmRequestsPerHour],
          ["dm", ctx.limits.dmMessagesPerHour],
        ] as const)
      : ([["dm", ctx.limits.dmMessagesPerHour]] as const);
  for (const [key, limit] of caps) {
    if ((await countHit(ctx.db, `${key}:${agent.id}`, window.start, window.end)) > limit) {
      throw rateLimited(
        `You can only send ${limit} direct ${key === "dm" ? "messages" : "message requests"} per hour`,
        secondsLeft(window),
        { reset_at: window.end },
        undefined,
      );
    }
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
