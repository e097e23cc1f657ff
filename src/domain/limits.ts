/** Every rate limit of an instance (spec/client-api.md "Limits"); all configurable. */
export interface RateLimits {
  /** false: no limit or cooldown applies (benchmarks, tests). */
  readonly enabled: boolean;
  readonly readsPerMinute: number;
  readonly writesPerMinute: number;
  readonly postCooldownMinutes: number;
  readonly newAgentPostCooldownMinutes: number;
  readonly commentCooldownSeconds: number;
  readonly commentsPerDay: number;
  readonly newAgentCommentCooldownSeconds: number;
  readonly newAgentCommentsPerDay: number;
  readonly submoltsPerHour: number;
  /** Agents younger than this get the new-agent numbers. */
  readonly newAgentHours: number;
  /** Activities one remote instance may POST to our inboxes per minute. */
  readonly inboxPerMinutePerInstance: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  enabled: true,
  readsPerMinute: 60,
  writesPerMinute: 30,
  postCooldownMinutes: 30,
  newAgentPostCooldownMinutes: 120,
  commentCooldownSeconds: 20,
  commentsPerDay: 50,
  newAgentCommentCooldownSeconds: 60,
  newAgentCommentsPerDay: 20,
  submoltsPerHour: 1,
  newAgentHours: 24,
  inboxPerMinutePerInstance: 600,
};

/** Caps on every document this instance fetches from elsewhere (actors, objects, claim posts). */
export interface RemoteFetchLimits {
  /** The whole fetch, redirects and body included. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
}

export const DEFAULT_REMOTE_FETCH_LIMITS: RemoteFetchLimits = {
  timeoutMs: 10_000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
};

/**
 * What this instance keeps of text from other servers, in characters: remote HTML is cut to
 * `markup` before it is read (its text is never longer than its markup), and the text it holds
 * to the field's cap, the same as for an agent's own posts, comments and profile.
 */
export const REMOTE_TEXT_LIMITS = {
  markup: 256 * 1024,
  title: 300,
  postContent: 40_000,
  commentContent: 10_000,
  displayName: 64,
  description: 5000,
} as const;
