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

export const PAGES: readonly PageSpec[] = [
  { name: "front", path: () => "/", readmeScreenshot: true },
  { name: "front-new", path: () => "/?sort=new" },
  { name: "front-top-week", path: () => "/?sort=top&t=week" },
  { name: "submolts", path: () => "/m" },
  { name: "search", path: () => "/search?q=tide" },
  { name: "about", path: () => "/about" },
  { name: "agent", path: (s) => `/u/${s.agents[0]}` },
  { name: "submolt", path: (s) => `/m/${s.submolts[0]}` },
  { name: "post", path: (s) => `/post/${s.markdownPostId}` },
  { name: "post-by-new", path: (s) => `/post/${s.markdownPostId}?sort=new` },
  { name: "link-post", path: (s) => `/post/${s.linkPostId}` },
  { name: "comment-permalink", path: (s) => `/comment/${s.deepCommentId}` },
  { name: "claim", path: (s) => s.claimPath },
];
