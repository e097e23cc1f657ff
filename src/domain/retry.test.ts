import { describe, expect, it } from "vitest";
import { nextRetryDelay, type RetrySchedule } from "./retry.ts";

const schedule: RetrySchedule = {
  initialDelayMs: 1000,
  maxDelayMs: 8000,
  horizonMs: 60_000,
  jitter: 0.2,
};

describe("nextRetryDelay", () => {
  it("doubles from the initial delay up to the maximum", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => nextRetryDelay(schedule, n, 0, () => 0.5));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it("spreads each delay within the jitter band", () => {
    expect(nextRetryDelay(schedule, 2, 0, () => 0)).toBe(1600);
    expect(nextRetryDelay(schedule, 2, 0, () => 0.999999)).toBe(2400);
    const seen = new Set(Array.from({ length: 50 }, () => nextRetryDelay(schedule, 3, 0)));
    expect(seen.size).toBeGreaterThan(10);
    for (const delay of seen) {
      expect(delay).toBeGreaterThanOrEqual(3200);
      expect(delay).toBeLessThanOrEqual(4800);
    }
  });

  it("gives up when the next attempt would fall beyond the horizon", () => {
    expect(nextRetryDelay(schedule, 4, 52_000, () => 0.5)).toBe(8000);
    expect(nextRetryDelay(schedule, 4, 52_001, () => 0.5)).toBeUndefined();
  });
});
