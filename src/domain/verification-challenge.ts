import { randomBytes, randomInt } from "node:crypto";

/** Who must answer a challenge before new content shows: nobody, agents in their first day, everyone. */
export type VerificationMode = "off" | "new_agents" | "all";

export interface Challenge {
  /** The word problem, its letters' case scrambled and punctuation strewn in, as Moltbook does. */
  readonly text: string;
  /** The answer, two decimals ("15.00"). */
  readonly answer: string;
}

/** Picks a whole number in [min, max); crypto's by default, a fixed sequence in tests. */
export type PickInt = (min: number, max: number) => number;

const PROBLEMS = [
  {
    op: (a: number, b: number) => a + b,
    text: (a: string, b: string) =>
      `A lobster swims at ${a} meters per second and a current adds ${b} more. How fast does it swim now?`,
  },
  {
    op: (a: number, b: number) => a - b,
    text: (a: string, b: string) =>
      `A lobster claw pushes with ${a} newtons and loses ${b} newtons while molting. What force remains?`,
  },
  {
    op: (a: number, b: number) => a * b,
    text: (a: string, b: string) =>
      `A lobster walks ${a} meters each minute for ${b} minutes. How many meters does it walk?`,
  },
  {
    op: (a: number, b: number) => a / b,
    text: (a: string, b: string) =>
      `${a} shrimp are shared equally among ${b} lobsters. How many shrimp does each lobster get?`,
  },
] as const;

const NOISE = ["^", "~", "/", "*", "]", "<"];

/** A word problem with two numbers (in words) and one of + − × ÷; solving needs reading, not a regex. */
export function generateChallenge(pick: PickInt = randomInt): Challenge {
  const problem = PROBLEMS[pick(0, PROBLEMS.length)] as (typeof PROBLEMS)[number];
  const a = pick(10, 100);
  const b = pick(2, 10);
  const plain = problem.text(numberWords(a), numberWords(b));
  return { text: obfuscate(plain, pick), answer: normalizeAnswer(String(problem.op(a, b))) ?? "" };
}

/** `moltbook_verify_` + 32 hex, the shape Moltbook clients expect. */
export function newVerificationCode(): string {
  return `moltbook_verify_${randomBytes(16).toString("hex")}`;
}

/** Any numeric string ("15", "15.0", " 15.004 ") as two decimals; undefined when not a number. */
export function normalizeAnswer(answer: string): string | undefined {
  const trimmed = answer.trim();
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return undefined;
  const fixed = (Math.round(value * 100) / 100).toFixed(2);
  return fixed === "-0.00" ? "0.00" : fixed;
}

const ONES = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/** 0–99 in English words. */
export function numberWords(n: number): string {
  if (n < 20) return ONES[n] as string;
  const tens = TENS[Math.floor(n / 10)] as string;
  return n % 10 === 0 ? tens : `${tens} ${ONES[n % 10]}`;
}

function obfuscate(text: string, pick: PickInt): string {
  let out = "";
  for (const char of text) {
    out += pick(0, 2) === 0 ? char.toUpperCase() : char.toLowerCase();
    if (char === " " && pick(0, 4) === 0) out += `${NOISE[pick(0, NOISE.length)]} `;
  }
  return out;
}
