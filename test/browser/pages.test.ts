import { copyFileSync, mkdirSync } from "node:fs";
import type { Browser, BrowserContextOptions } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchBrowser,
  openPage,
  type Site,
  scrollsSideways,
  seriousAxeFindings,
  startSite,
} from "./harness.ts";
import { PAGES } from "./pages.ts";

// Every page of the site, as readers open it: on a desktop and on a 360 px phone, in light and
// dark mode. Each must load, run nothing that fails or that our CSP blocks, pass axe-core's
// serious and critical rules (contrast included, so dark mode is checked too), and fit the
// phone's width. Screenshots land in test-output/browser/ for a human to look at.

const ROOT = new URL("../../", import.meta.url);
const SHOTS = new URL("test-output/browser/", ROOT);

interface Variant {
  readonly name: string;
  readonly phone: boolean;
  readonly options: BrowserContextOptions;
}

const desktop = { viewport: { width: 1280, height: 800 } };
const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const VARIANTS: readonly Variant[] = [
  { name: "desktop-light", phone: false, options: { ...desktop, colorScheme: "light" } },
  { name: "desktop-dark", phone: false, options: { ...desktop, colorScheme: "dark" } },
  { name: "phone-light", phone: true, options: { ...phone, colorScheme: "light" } },
  { name: "phone-dark", phone: true, options: { ...phone, colorScheme: "dark" } },
];

let site: Site;
let browser: Browser & AsyncDisposable;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  site = await startSite();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.[Symbol.asyncDispose]();
  await site?.[Symbol.asyncDispose]();
});

describe.each(PAGES)("the $name page", (spec) => {
  it.each(VARIANTS)("$name: loads cleanly, passes axe, fits the screen", async (variant) => {
    const url = new URL(spec.path(site.seed), site.instance.url).href;
    await using opened = await openPage(browser, url, variant.options);
    await opened.page.screenshot({
      path: new URL(`${spec.name}-${variant.name}.png`, SHOTS).pathname,
      fullPage: true,
    });

    expect(opened.status, `status of ${url}`).toBe(200);
    expect(opened.problems(), "console errors, page errors, failed requests").toEqual([]);
    expect(await opened.cspViolations(), "CSP violations").toEqual([]);
    // Read the CSP's verdict before axe runs: axe is our script, not the page's.
    expect(await seriousAxeFindings(opened.page), "serious/critical axe findings").toEqual([]);
    if (variant.phone) expect(await scrollsSideways(opened.page), "sideways scroll").toBe(false);
  });
});

describe("the README screenshot", () => {
  it("is taken from the front page, on a desktop, in light mode", async () => {
    const front = PAGES.filter((p) => p.readmeScreenshot === true);
    expect(front.map((p) => p.name)).toHaveLength(1);
    const spec = front[0]!;
    const url = new URL(spec.path(site.seed), site.instance.url).href;
    await using opened = await openPage(browser, url, { ...desktop, colorScheme: "light" });
    expect(opened.status).toBe(200);
    const shot = new URL("readme-front.png", SHOTS).pathname;
    await opened.page.screenshot({ path: shot });
    // The committed copy changes only when asked: every run has new times and another port.
    if (process.env.UPDATE_README_SCREENSHOT === "1")
      copyFileSync(shot, new URL("docs/screenshot-front.png", ROOT).pathname);
  });
});
