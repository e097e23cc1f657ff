import { describe, expect, it } from "vitest";
import { controversy, hotRank, rangeStart, risingRank } from "./ranking.ts";

describe("ranking", () => {
  const t0 = new Date("2026-01-01T00:00:00Z");

  it("hot: a newer post outranks an older one with the same score; score counts logarithmically", () => {
    const later = new Date(t0.getTime() + 45_000_000);
    expect(hotRank(1, later)).toBeCloseTo(hotRank(1, t0) + 1000 / 1000, 6);
    expect(hotRank(10, t0) - hotRank(1, t0)).toBeCloseTo(1, 6);
    expect(hotRank(-10, t0)).toBeLessThan(hotRank(0, t0));
    expect(hotRank(0, t0)).toBe(t0.getTime() / 1000 / 45_000);
  });

  it("rising: (score + 1) / (age_hours + 2)^1.5", () => {
    const twoHoursLater = new Date(t0.getTime() + 2 * 3_600_000);
    expect(risingRank(7, t0, twoHoursLater)).toBeCloseTo(8 / 4 ** 1.5, 9);
  });

  it("controversial: many votes evenly split rank highest", () => {
    expect(controversy(10, 10)).toBe(20);
    expect(controversy(20, 0)).toBe(0);
    expect(controversy(0, 0)).toBe(0);
  });

  it("time ranges", () => {
    expect(rangeStart("all", t0)).toBeUndefined();
    expect(rangeStart("day", t0)?.toISOString()).toBe("2025-12-31T00:00:00.000Z");
  });
});
