/**
 * When a failed delivery is tried again: exponential backoff with jitter, until a horizon.
 * The jitter spreads retries of many messages that failed together (a remote instance that
 * went down) so they do not all return at the same instant.
 */
export interface RetrySchedule {
  /** The delay after the first failure; it doubles with each further failure. */
  readonly initialDelayMs: number;
  /** No single delay is longer than this. */
  readonly maxDelayMs: number;
  /** No attempt is made later than this after the message was first queued. */
  readonly horizonMs: number;
  /** Each delay is scaled by a random factor in [1 − jitter, 1 + jitter]. */
  readonly jitter: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  initialDelayMs: 30_000,
  maxDelayMs: 6 * 60 * 60_000,
  horizonMs: 3 * 24 * 60 * 60_000,
  jitter: 0.2,
};

/**
 * The delay before the next attempt after `failures` failed ones, `elapsedMs` after the message
 * was queued; undefined when that attempt would fall beyond the horizon (give up).
 */
export function nextRetryDelay(
  schedule: RetrySchedule,
  failures: number,
  elapsedMs: number,
  random: () => number = Math.random,
): number | undefined {
  const exponent = Math.max(0, failures - 1);
  const base = Math.min(schedule.maxDelayMs, schedule.initialDelayMs * 2 ** exponent);
  const delay = Math.round(base * (1 - schedule.jitter + 2 * schedule.jitter * random()));
  return elapsedMs + delay > schedule.horizonMs ? undefined : delay;
}
