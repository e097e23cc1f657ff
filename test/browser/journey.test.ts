import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchBrowser,
  type OpenedPage,
  openPage,
  type Site,
  scrollsSideways,
  startSite,
} from "./harness.ts";

// What a person does on the site, by clicking: the tabs, a post, a thread, a permalink, search,
// an agent, a submolt and the RSS link; and what an agent writing markup cannot make run.

const HOSTILE = '<img src=x onerror="window.__ran=1"><script>window.__ran=1</script>';

let site: Site;
let browser: Browser & AsyncDisposable;
let hostilePostId: string;

beforeAll(async () => {
  site = await startSite();
  browser = await launchBrowser();
  // An agent whose name, description, post title and body all carry scripts.
  const registered = await fetch(new URL("/api/v1/agents/register", site.instance.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "MarkupBot", description: HOSTILE }),
  }).then((r) => r.json());
  const key = registered.agent.api_key as string;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(new URL(`/api/v1${path}`, site.instance.url), {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json());
  await call("PATCH", "/agents/me", { display_name: `Markup ${HOSTILE}` });
  const post = await call("POST", "/posts", {
    submolt: "general",
    title: `A title ${HOSTILE}`,
    content: `A body ${HOSTILE}\n\n[a link](javascript:window.__ran=1)`,
  });
  hostilePostId = post.post.id;
  await call("POST", `/posts/${site.seed.markdownPostId}/comments`, { content: HOSTILE });
}, 120_000);

afterAll(async () => {
  await browser?.[Symbol.asyncDispose]();
  await site?.[Symbol.asyncDispose]();
});

const desktop = { viewport: { width: 1280, height: 800 } };

async function clean(opened: OpenedPage): Promise<void> {
  expect(opened.problems()).toEqual([]);
  expect(await opened.cspViolations()).toEqual([]);
  expect(await opened.page.evaluate(() => "__ran" in window)).toBe(false);
}

describe("a person on the site", () => {
  it("switches tabs, opens a post, collapses a thread and follows a permalink", async () => {
    await using opened = await openPage(browser, site.instance.url, desktop);
    const { page } = opened;
    await page.getByRole("link", { name: "New", exact: true }).click();
    await page.waitForURL(/sort=new/);
    await page.getByRole("link", { name: "Top", exact: true }).click();
    await page.waitForURL(/sort=top/);
    await page.getByRole("link", { name: "Spring tides" }).click();
    await page.waitForURL(new RegExp(`/post/${site.seed.markdownPostId}`));
    await expect.poll(() => page.locator("h1").first().textContent()).toContain("Spring tides");

    const thread = page.locator("li.comment > details").first();
    expect(await thread.getAttribute("open")).not.toBeNull();
    await thread.locator("> summary").click();
    expect(await thread.getAttribute("open")).toBeNull();
    expect(await thread.locator("li.comment").first().isVisible()).toBe(false);

    await page.goto(new URL(`/comment/${site.seed.deepCommentId}`, site.instance.url).href);
    expect(new URL(page.url()).hash).toBe(`#comment-${site.seed.deepCommentId}`);
    expect(await page.locator(`#comment-${site.seed.deepCommentId}`).isVisible()).toBe(true);
    await clean(opened);
  });

  it("searches, opens an agent and a submolt, and reads the RSS link", async () => {
    await using opened = await openPage(browser, site.instance.url, desktop);
    const { page } = opened;
    await page.getByRole("link", { name: "Search", exact: true }).click();
    await page.getByRole("searchbox").fill("tide");
    await page.getByRole("searchbox").press("Enter");
    await page.waitForURL(/\/search\?q=tide/);
    await expect.poll(() => page.locator("main").textContent()).toContain("Spring tides");

    await page.goto(site.instance.url);
    await page.getByRole("link", { name: "ReefBot" }).first().click();
    await page.waitForURL(/\/u\/ReefBot/i);
    await expect.poll(() => page.locator("h1").first().textContent()).toContain("ReefBot");
    await page.goto(site.instance.url);
    await page.getByRole("link", { name: "m/tide-watch" }).first().click();
    await page.waitForURL(/\/m\/tide-watch/);

    const rss = await page
      .locator('link[rel="alternate"][type="application/rss+xml"]')
      .getAttribute("href");
    expect(rss).not.toBeNull();
    const feed = await page.context().request.get(new URL(rss as string, page.url()).href);
    expect(feed.status()).toBe(200);
    expect(feed.headers()["content-type"]).toContain("application/rss+xml");
    expect(await feed.text()).toContain("<title>Spring tides</title>");
    await clean(opened);
  });

  it("never runs a script an agent put in a name, a title, a body or a comment", async () => {
    for (const path of [
      "/",
      `/post/${hostilePostId}`,
      `/post/${site.seed.markdownPostId}`,
      "/u/MarkupBot",
      "/search?q=title",
    ]) {
      await using opened = await openPage(browser, new URL(path, site.instance.url).href, desktop);
      await clean(opened);
      expect(await opened.page.locator("main").textContent(), path).not.toBe("");
    }
  });

  it("fits a 1280 px desktop and a 360 px phone without scrolling sideways", async () => {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 360, height: 740 },
    ]) {
      for (const path of ["/", `/post/${hostilePostId}`, `/post/${site.seed.markdownPostId}`]) {
        await using opened = await openPage(browser, new URL(path, site.instance.url).href, {
          viewport,
        });
        expect(await scrollsSideways(opened.page), `${path} at ${viewport.width} px`).toBe(false);
      }
    }
  });
});
