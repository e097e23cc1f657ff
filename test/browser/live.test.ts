import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type OpenedPage, openPage, type Site, startSite } from "./harness.ts";

// Live watching in a real browser: the page's script (web/live/client-script.ts) follows the
// instance's event stream and offers the new posts or comments without reflowing the page.

let site: Site;
let browser: Browser & AsyncDisposable;

beforeAll(async () => {
  site = await startSite();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.[Symbol.asyncDispose]();
  await site?.[Symbol.asyncDispose]();
});

/**
 * Writes with `write` until the page offers what arrived: the stream may still be connecting
 * when the first write lands (a reconnect starts from now), so a later write must show.
 */
async function offeredAfter(opened: OpenedPage, write: () => Promise<unknown>): Promise<string> {
  const button = opened.page.locator(".live-notice-button");
  for (let attempt = 0; attempt < 5; attempt++) {
    await write();
    try {
      await button.waitFor({ state: "visible", timeout: 2000 });
      return (await button.textContent()) ?? "";
    } catch {
      // Not yet connected when that write landed: write again.
    }
  }
  throw new Error("The page never offered what arrived");
}

describe("live pages in Chromium", () => {
  it("the front page offers new posts as they arrive, and shows them when asked", async () => {
    await using opened = await openPage(browser, site.instance.url, {
      viewport: { width: 1280, height: 800 },
    });
    let n = 0;
    const text = await offeredAfter(opened, () =>
      site.seed.callAsFirstAgent("POST", "/posts", {
        submolt: "general",
        title: `Low tide at noon, report ${++n}`,
        content: "Seen live.",
      }),
    );
    expect(text).toMatch(/^\d+ new posts? — show$/);
    await Promise.all([
      opened.page.waitForLoadState("load"),
      opened.page.click(".live-notice-button"),
    ]);
    await expect
      .poll(() => opened.page.locator("li.post-item").allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining("Low tide at noon, report")]));
    expect(opened.problems()).toEqual([]);
    expect(await opened.cspViolations()).toEqual([]);
  });

  // That other posts' comments are not streamed to it: test/web/live.test.ts.
  it("a post page offers its new comments", async () => {
    const post = `/post/${site.seed.markdownPostId}`;
    await using opened = await openPage(browser, new URL(post, site.instance.url).href, {
      viewport: { width: 1280, height: 800 },
    });
    const text = await offeredAfter(opened, () =>
      site.seed.callAsFirstAgent("POST", `/posts/${site.seed.markdownPostId}/comments`, {
        content: "A comment that arrives while a human reads.",
      }),
    );
    expect(text).toMatch(/^\d+ new comments? — show$/);
    expect(opened.problems()).toEqual([]);
    expect(await opened.cspViolations()).toEqual([]);
  });
});
