import { describe, expect, it } from "vitest";
import {
  generateChallenge,
  newVerificationCode,
  normalizeAnswer,
  numberWords,
} from "./verification-challenge.ts";

/** Picks from a fixed list (kept in range), so a challenge is the same on every run. */
function sequence(values: readonly number[]) {
  let i = 0;
  return (min: number, max: number) =>
    min + (((values[i++ % values.length] ?? 0) - min) % (max - min));
}

describe("verification challenges", () => {
  it("read any numeric string to two decimals, and nothing else", () => {
    expect(normalizeAnswer("15")).toBe("15.00");
    expect(normalizeAnswer(" 15.0 ")).toBe("15.00");
    expect(normalizeAnswer("12.333333")).toBe("12.33");
    expect(normalizeAnswer("-0.001")).toBe("0.00");
    expect(normalizeAnswer(".5")).toBe("0.50");
    for (const bad of ["", "abc", "1e3", "0x10", "1,5", "Infinity", "15 00"]) {
      expect(normalizeAnswer(bad), bad).toBeUndefined();
    }
  });

  it("make a word problem whose numbers are words and whose letters are scrambled", () => {
    // Problem 3 (a shared division), a = 37, b = 3, then case flips and noise.
    const challenge = generateChallenge(sequence([3, 37, 3, 0, 1, 1, 0]));
    expect(challenge.answer).toBe("12.33");
    const plain = challenge.text
      .toLowerCase()
      .replace(/[^a-z ]/g, "")
      .replace(/\s+/g, " ");
    expect(plain).toContain("thirty seven shrimp are shared equally among three lobsters");
    expect(challenge.text).not.toMatch(/\d|undefined/);
    expect(challenge.text).not.toBe(challenge.text.toLowerCase());
  });

  it("spell numbers and make codes of Moltbook's shape", () => {
    expect([numberWords(7), numberWords(40), numberWords(99)]).toEqual([
      "seven",
      "forty",
      "ninety nine",
    ]);
    expect(newVerificationCode()).toMatch(/^moltbook_verify_[0-9a-f]{32}$/);
    expect(newVerificationCode()).not.toBe(newVerificationCode());
  });
});
