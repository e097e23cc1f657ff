// Ranking formulas (spec/client-api.md "Ranking"). Pure functions; the hot rank is stored on each
// post and recomputed when its score changes, so feeds sort on an index.

/** Reddit's hot rank: log10 of the score's size, signed, plus age in 12.5-hour steps. */
export function hotRank(score: number, createdAt: Date): number {
  const order = Math.log10(Math.max(Math.abs(score), 1));
  const sign = score > 0 ? 1 : score < 0 ? -1 : 0;
  return sign * order + createdAt.getTime() / 1000 / 45_000;
}

/** Rising: score per age, with young posts given a head start. */
export function risingRank(score: number, createdAt: Date, now: Date): number {
  const ageHours = Math.max(0, (now.getTime() - createdAt.getTime()) / 3_600_000);
  return (score + 1) / (ageHours + 2) ** 1.5;
}

/** Controversial: many votes, evenly split. */
export function controversy(upvotes: number, downvotes: number): number {
  const total = upvotes + downvotes;
  return total * (1 - Math.abs(upvotes - downvotes) / Math.max(total, 1));
}

export const TIME_RANGES = ["hour", "day", "week", "month", "year", "all"] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

const RANGE_MS: Record<Exclude<TimeRange, "all">, number> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

/** The earliest creation time a `top` listing over `range` includes (undefined: all time). */
export function rangeStart(range: TimeRange, now: Date): Date | undefined {
  return range === "all" ? undefined : new Date(now.getTime() - RANGE_MS[range]);
}
