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
  /** Agents younger than this get the new-agent numbers, and may not send direct messages. */
  readonly newAgentHours: number;
  /** Direct-message requests (new conversations) an agent may send per hour. */
  readonly dmRequestsPerHour: number;
  /** Direct messages an agent may send per hour (requests included); also what one remote actor may have stored here. */
  readonly dmMessagesPerHour: number;
  /**
   * Verified activities one remote instance (a registrable domain: its subdomains share it) may
   * POST to our inboxes per minute.
   */
  readonly inboxPerMinutePerInstance: number;
  /** Inbox POSTs per minute from one client address, signed or not, verified or not. */
  readonly inboxPerMinutePerClient: number;
  /** Posts one remote actor may have stored here per hour (any burst within it). */
  readonly remotePostsPerHour: number;
  /** Comments one remote actor may have stored here per hour (any burst within it). */
  readonly remoteCommentsPerHour: number;
  /** Refused bearer keys and signatures per client address per minute, before 429. */
  readonly authFailuresPerMinute: number;
  /** Claim and recovery attempts (each fetches a post elsewhere) per address and per agent per hour. */
  readonly claimAttemptsPerHour: number;
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
  dmRequestsPerHour: 50,
  dmMessagesPerHour: 200,
  inboxPerMinutePerInstance: 600,
  inboxPerMinutePerClient: 6000,
  remotePostsPerHour: 10,
  remoteCommentsPerHour: 60,
  authFailuresPerMinute: 10,
  claimAttemptsPerHour: 10,
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
