import { brotliDecompressSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type RegisteredAgent, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";

// The site people read: every page in the one layout, through the API's read paths.

const HTML = { headers: { accept: "text/html" } };

async function page(instance: TestInstance, path: string): Promise<string> {
  const response = await instance.request(path, HTML);
  expect(response.status, path).toBe(200);
  expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
  return response.text();
}

async function post(agent: RegisteredAgent, body: Record<string, unknown>) {
  const response = await agent.api.post("/posts", body);
  expect(response.status).toBe(201);
  return response.body.post as { id: string; ap_id: string };
}

async function comment(agent: RegisteredAgent, postId: string, content: string, parent?: string) {
  const response = await agent.api.post(`/posts/${postId}/comments`, {
    content,
    ...(parent === undefined ? {} : { parent_id: parent }),
  });
  expect(response.status).toBe(201);
  return response.body.comment as { id: string };
}

/** Each comment's nesting depth on a post page (0: top level), in page order. */
function commentDepths(html: string): [string, number][] {
  const found: [string, number][] = [];
  let depth = -1;
  for (const m of html.matchAll(
    /<ol class="(?:comments|replies[^"]*)"|<\/ol>|<li class="comment" id="comment-([^"]+)"/g,
  )) {
    if (m[0].startsWith("<ol")) depth++;
    else if (m[0] === "</ol>") depth--;
    else found.push([m[1] as string, depth]);
  }
  return found;
}

describe("the stylesheet", () => {
  it("is served under its content hash, cached for a year, and linked from every page", async () => {
    await using alpha = await startInstance({ dialect: "sqlite" });
    const html = await page(alpha, "/");
    const href = html.match(
      /<link rel="stylesheet" href="(\/assets\/style\.[0-9a-f]{12}\.css)">/,
    )?.[1];
    expect(href).toBeDefined();
    const css = await alpha.request(href as string);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    expect(css.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const text = await css.text();
    expect(text).toContain("prefers-color-scheme: dark");
    // Compressed for browsers that ask (all do), the same stylesheet.
    const packed = await alpha.request(href as string, {
      headers: { "accept-encoding": "gzip, deflate, br, zstd" },
    });
    expect(packed.headers.get("content-encoding")).toBe("br");
    expect(packed.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(packed.headers.get("vary")).toBe("Accept-Encoding");
    expect(brotliDecompressSync(Buffer.from(await packed.arrayBuffer())).toString()).toBe(text);
    expect((await alpha.request("/assets/style.000000000000.css")).status).toBe(404);
    // No inline style anywhere: the policy forbids them.
    expect(html).not.toMatch(/ style=|<style/);
  });
});

describe.each(DIALECTS)("%s: the site", (dialect) => {
  it("shows a newcomer what the front page is and how an agent joins", async () => {
    await using alpha = await startInstance({ dialect });
    const response = await alpha.request("/", HTML);
    expect(response.status).toBe(200);
    expect(response.headers.get("vary")).toMatch(/Accept/);
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe-inline");
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain("Humans welcome to observe");
    expect(html).toContain('href="/skill.md"');
    expect(html).toContain("Nothing here yet");
    expect(html).toContain('<link rel="alternate" type="application/rss+xml"');
    expect(html).toContain('href="/feed.atom"');
    expect(html).toContain('<meta property="og:site_name" content="Test instance">');
    expect(html).toContain('<meta property="og:url" content="https://alpha.test/">');
    expect(html).toMatch(/<main id="main"/);
    expect(html).toContain('data-live="/live"');
  });

  it("lists posts with score, title, link domain, submolt, author, time and comments, by tab", async () => {
    await using alpha = await startInstance({ dialect });
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(alpha, "kelp");
    const old = await post(reef, { title: "Tide tables", content: "Low at 6." });
    const link = await post(kelp, {
      title: "A good read",
      url: "https://www.example.org/article",
    });
    await comment(kelp, old.id, "Thanks");
    await kelp.api.post(`/posts/${old.id}/upvote`, {});

    const html = await page(alpha, "/");
    expect(html).toContain(`<a href="/post/${old.id}">Tide tables</a>`);
    expect(html).toContain(
      `<a href="/post/${link.id}">A good read</a> <span class="domain">(example.org)</span>`,
    );
    expect(html).toContain('<a href="/m/general">m/general</a>');
    expect(html).toContain('by <a href="/u/reef">reef</a>');
    expect(html).toContain(">1 comment</a>");
    expect(html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+"[^>]*>just now<\/time>/);
    expect(html).toContain('<a href="/" aria-current="page">Hot</a>');

    const top = await page(alpha, "/?sort=top&t=day");
    expect(top).toContain('<a href="/?sort=top" aria-current="page">Top</a>');
    expect(top).toContain('<a href="/?sort=top&amp;t=day" aria-current="page">Day</a>');
    expect(top.indexOf("Tide tables")).toBeLessThan(top.indexOf("A good read"));
    const fresh = await page(alpha, "/?sort=new");
    expect(fresh.indexOf("A good read")).toBeLessThan(fresh.indexOf("Tide tables"));
    expect(await page(alpha, "/?sort=rising")).toContain("Tide tables");

    // One post per page: the next page goes on with the API's cursor.
    const first = await page(alpha, "/?sort=new&limit=1");
    const next = first.match(/<a href="(\/\?sort=new&amp;cursor=[^"]+)" rel="next">/)?.[1];
    expect(next).toBeDefined();
    const second = await page(alpha, (next as string).replaceAll("&amp;", "&"));
    expect(second).toContain("Tide tables");
    expect(second).not.toContain("A good read");
    expect((await alpha.request("/?sort=sideways", HTML)).status).toBe(400);
  });

  it("escapes hostile titles, names and bodies on every page", async () => {
    await using alpha = await startInstance({ dialect });
    const evil = await registerAgent(alpha, "evil");
    await evil.api.patch("/agents/me", {
      display_name: '<script>alert("name")</script>',
      description: "<img src=x onerror=alert(1)>",
    });
    const hostile = await post(evil, {
      title: '<script>alert("title")</script>',
      content: '<script>alert("body")</script> and [x](javascript:alert(1))',
    });
    await comment(evil, hostile.id, '<iframe src="https://x.example"></iframe>');
    const pages = [
      "/",
      `/post/${hostile.id}`,
      "/u/evil",
      "/m/general",
      "/search?q=alert",
      "/about",
    ];
    for (const path of pages) {
      const html = await page(alpha, path);
      expect(html, path).not.toMatch(/<script(?! src="\/assets\/)/);
      expect(html, path).not.toMatch(/<iframe|<img|href="javascript:/);
      // No event handler attribute (attribute values, escaped, may hold any text).
      expect(html.replace(/="[^"]*"/g, ""), path).not.toMatch(/<[^>]*\son\w+=/);
    }
    expect(await page(alpha, "/")).toContain(
      "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;",
    );
    expect(await page(alpha, "/u/evil")).toContain("&lt;script&gt;alert(&quot;name&quot;)");
  });

  it("shows a post with its markdown rendered and its comments threaded, in the chosen order", async () => {
    await using alpha = await startInstance({ dialect });
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(alpha, "kelp");
    const shown = await post(reef, { title: "Threads", content: "# Heading\n\nSome **markdown**" });
    const a = await comment(kelp, shown.id, "First *top-level*");
    const a1 = await comment(reef, shown.id, "Reply to first", a.id);
    const a11 = await comment(kelp, shown.id, "Reply to the reply", a1.id);
    const b = await comment(reef, shown.id, "Second top-level");
    await reef.api.post(`/comments/${a.id}/upvote`, {});

    const response = await alpha.request(`/post/${shown.id}`, HTML);
    expect(response.headers.get("vary")).toMatch(/Accept/);
    const html = await response.text();
    expect(html).toContain("<h1>Threads</h1>");
    expect(html).toContain("<h1>Heading</h1>\n<p>Some <strong>markdown</strong></p>");
    expect(html).toContain("<p>First <em>top-level</em></p>");
    expect(commentDepths(html)).toEqual([
      [a.id, 0],
      [a1.id, 1],
      [a11.id, 2],
      [b.id, 0],
    ]);
    expect(html).toContain(`<li class="comment" id="comment-${a.id}">\n<details open>`);
    expect(html).toContain(`href="/post/${shown.id}#comment-${a11.id}"`);
    expect(html).toContain(`data-live="/post/${shown.id}/live"`);
    expect(html).toContain('<meta property="og:type" content="article">');

    const byNew = commentDepths(await page(alpha, `/post/${shown.id}?sort=new`));
    expect(byNew.map(([id]) => id)).toEqual([b.id, a.id, a1.id, a11.id]);
    const controversial = await page(alpha, `/post/${shown.id}?sort=controversial`);
    expect(controversial).toContain('aria-current="page">Controversial</a>');

    const redirect = await alpha.request(`/comment/${a11.id}`, HTML);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe(`/post/${shown.id}#comment-${a11.id}`);

    // Bodies are rendered once per cached thread: an edit shows at once all the same.
    const edited = await kelp.api.patch(`/comments/${a.id}`, { content: "First, *edited*" });
    expect(edited.status).toBe(200);
    const again = await page(alpha, `/post/${shown.id}`);
    expect(again).toContain("<p>First, <em>edited</em></p>");
    expect(again).not.toContain("<p>First <em>top-level</em></p>");
  });

  it("shows the submolt directory, a submolt with its moderators and pinned posts first, and an agent", async () => {
    await using alpha = await startInstance({ dialect });
    const reef = await registerAgent(alpha, "reef");
    const created = await reef.api.post("/submolts", {
      name: "tides",
      display_name: "Tides",
      description: "All about the sea level",
    });
    expect(created.status).toBe(201);
    const pinned = await post(reef, { submolt: "tides", title: "Read me first", content: "Rules" });
    await post(reef, { submolt: "tides", title: "Newer post", content: "x" });
    expect((await reef.api.post(`/posts/${pinned.id}/pin`, {})).status).toBeLessThan(300);

    const directory = await page(alpha, "/m");
    expect(directory).toContain('<a href="/m/tides">Tides</a>');
    expect(directory).toContain("All about the sea level");

    const response = await alpha.request("/m/tides", HTML);
    expect(response.headers.get("vary")).toMatch(/Accept/);
    const html = await response.text();
    expect(html).toContain("<h1>Tides</h1>");
    expect(html).toContain("All about the sea level");
    expect(html).toMatch(/<strong>\d+<\/strong> subscribers/);
    expect(html).toContain('<a href="/u/reef">reef</a> (owner)');
    expect(html).toContain("<code>@tides@alpha.test</code>");
    expect(html.indexOf("Read me first")).toBeLessThan(html.indexOf("Newer post"));
    expect(html.split("Read me first").length - 1).toBe(1);
    expect(html).toContain('href="/m/tides/feed.rss"');

    const profile = await page(alpha, "/u/reef");
    expect(profile).toContain("<h1>reef</h1>");
    expect(profile).toContain("<code>@reef@alpha.test</code>");
    expect(profile).toContain("follow from Mastodon");
    expect(profile).toMatch(/<strong>\d+<\/strong> karma/);
    expect(profile).toContain(`<a href="/post/${pinned.id}">Read me first</a>`);
    expect(profile).toContain("Not claimed by a human yet.");
    expect(profile).toContain('href="/u/reef/feed.atom"');
  });

  it("searches, and tells about the instance", async () => {
    await using alpha = await startInstance({ dialect });
    const reef = await registerAgent(alpha, "reef");
    const found = await post(reef, { title: "Barnacles everywhere", content: "Crusty" });
    const empty = await page(alpha, "/search");
    expect(empty).toContain('<input type="search" name="q" value=""');
    expect(empty).toContain('<a href="/search" aria-current="page">Search</a>');
    const html = await page(alpha, "/search?q=barnacles");
    expect(html).toContain(`<a href="/post/${found.id}">Barnacles everywhere</a>`);
    expect(await page(alpha, "/search?q=zzzqqq")).toContain("Nothing matches");

    const about = await page(alpha, "/about");
    expect(about).toContain("<h1>About Test instance</h1>");
    expect(about).toContain('href="/skill.md"');
    expect(about).toContain("Moltiverse 0.1.0");
    expect(about).toContain("<strong>Never leak credentials.</strong>");
    expect(about).toMatch(/<strong>1<\/strong> agents here/);
  });

  it("answers a browser's wrong turns with pages of the site, and the API and ActivityPub with JSON", async () => {
    await using alpha = await startInstance({ dialect });
    for (const [path, status, message] of [
      ["/no/such/page", 404, "There is no page here"],
      ["/post/01a24000-0000-7000-8000-000000000000", 404, "There is no page here"],
      ["/u/nobody-here", 404, "There is no page here"],
      ["/?sort=sideways", 400, "sort must be one of"],
    ] as const) {
      const response = await alpha.request(path, HTML);
      expect(response.status, path).toBe(status);
      expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(response.headers.get("vary"), path).toContain("Accept");
      const body = await response.text();
      expect(body, path).toContain('<a href="/">Back to the front page</a>');
      expect(body, path).toContain(message);
      expect(body, path).toContain('<meta name="robots" content="noindex">');
    }
    const api = await alpha.request("/api/v1/nope", HTML);
    expect([api.status, (await api.json()).code]).toEqual([404, "NOT_FOUND"]);
    const activityPub = await alpha.request("/no/such/page", {
      headers: { accept: "application/activity+json" },
    });
    expect([activityPub.status, (await activityPub.json()).success]).toEqual([404, false]);
  });
});
