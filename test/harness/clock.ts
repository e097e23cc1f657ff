import type { Clock } from "../../src/lib/clock.ts";

/** A clock that moves only when told to. */
export function createFixedClock(start = "2026-01-01T00:00:00.000Z"): Clock & {
  advance(ms: number): void;
} {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
  };
}
