import { html } from "hono/html";

const UNITS: readonly [string, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** How long ago `iso` was, from `now`, in words ("3 hours ago"); "just now" under a minute. */
export function timeAgo(iso: string, now: Date): string {
  const elapsed = now.getTime() - new Date(iso).getTime();
  for (const [unit, ms] of UNITS) {
    const n = Math.floor(elapsed / ms);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"} ago`;
  }
  return "just now";
}

/** A time as readers see it (relative), with the exact time for machines and on hover. */
export function timeTag(iso: string, now: Date) {
  return html`<time datetime="${iso}" title="${iso}">${timeAgo(iso, now)}</time>`;
}
