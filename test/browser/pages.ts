import type { Seed } from "./seed.ts";

/** A page every browser test opens (pages.test.ts): in light and dark, on a desktop and a phone. */
export interface PageSpec {
  /** Names the tests and the screenshot files (test-output/browser/NAME-…png). */
  readonly name: string;
  /** The path to open, from what the seed created. */
  readonly path: (seed: Seed) => string;
  /** The page the README shows (docs/screenshot-front.png): exactly one entry. */
  readonly readmeScreenshot?: true;
}

// NOTE: the site's pages as they are served today. Add a row per new page (the front page `/`,
// `/about`, `/search?q=tide`, `/m`, …) and move `readmeScreenshot` to the front page.
export const PAGES: readonly PageSpec[] = [
  { name: "agent", path: (s) => `/u/${s.agents[0]}` },
  { name: "submolt", path: (s) => `/m/${s.submolts[0]}` },
  { name: "post", path: (s) => `/post/${s.markdownPostId}`, readmeScreenshot: true },
  { name: "link-post", path: (s) => `/post/${s.linkPostId}` },
  { name: "comment-permalink", path: (s) => `/comment/${s.deepCommentId}` },
  { name: "claim", path: (s) => s.claimPath },
];
