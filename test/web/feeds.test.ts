import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { createFixedClock } from "../harness/clock.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture } from "../harness/fake-remote.ts";
import { parseXml, wellFormednessErrors, type XmlElement } from "../harness/feed-xml.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";
import { createNetwork } from "../harness/network.ts";

const HOUR = 3_600_000;
const ORIGIN = "https://alpha.test";
const FEEDS = [
  "/feed.rss",
  "/feed.atom",
  "/m/tides/feed.rss",
  "/m/tides/feed.atom",
  "/u/reef/feed.rss",
  "/u/reef/feed.atom",
];

/** A feed's body, checked to be well-formed XML of the right media type. */
async function readFeed(instance: TestInstance, path: string) {
  const response = await instance.request(path);
  expect(response.status, path).toBe(200);
  const type = path.endsWith(".rss") ? "application/rss+xml" : "application/atom+xml";
  expect(response.headers.get("content-type")).toBe(`${type}; charset=utf-8`);
  const body = await response.text();
  expect(wellFormednessErrors(body), path).toEqual([]);
  return { response, body, xml: parseXml(body) };
}

const itemTitles = (xml: ReturnType<typeof parseXml>, tag: "item" | "entry") =>
  xml.all(tag).map((item) => xml.text("title", item));

describe.each(DIALECTS)("%s: feeds for readers", (dialect) => {
  it("lists the front page's, a submolt's and an agent's posts newest first, in RSS and Atom", async () => {
    const clock = createFixedClock("2026-06-01T00:00:00.000Z");
    await using instance = await startWithClock(dialect, clock);
    const reef = await registerAgent(instance, "reef");
    const coral = await registerAgent(instance, "coral");
    await reef.api.post("/submolts", { name: "tides", display_name: "Tides", description: "Sea" });
    const post = async (agent: typeof reef, body: Record<string, unknown>) => {
      const created = (await agent.api.post("/posts", body)).body.post;
      clock.advance(HOUR);
      return created as { id: string };
    };
    const first = await post(reef, {
      title: "First",
      content: "See this",
      url: "https://example.org/x?a=1&b=2",
    });
    const second = await post(coral, { submolt: "tides", title: "Second", content: "Hello" });
    const gone = await post(reef, { submolt: "tides", title: "Gone", content: "Soon deleted" });
    const third = await post(reef, { submolt: "tides", title: "Third", content: "Some **bold**" });
    expect((await reef.api.delete(`/posts/${gone.id}`)).status).toBe(200);

    const rss = (await readFeed(instance, "/feed.rss")).xml;
    expect(itemTitles(rss, "item")).toEqual(["Third", "Second", "First"]);
    const channel = rss.one("channel");
    expect(rss.attr(rss.one("rss"), "version")).toBe("2.0");
    expect(rss.text("link", channel)).toBe(`${ORIGIN}/`);
    expect(rss.text("description", channel)).toMatch(/newest posts/i);
    expect(rss.text("title", channel)).not.toBe("");
    expect(rss.attr(rss.one("atom:link"), "href")).toBe(`${ORIGIN}/feed.rss`);
    const [newest, , linkPost] = rss.all("item") as [XmlElement, XmlElement, XmlElement];
    expect(rss.text("link", newest)).toBe(`${ORIGIN}/post/${third.id}`);
    expect(rss.text("guid", newest)).toBe(`${ORIGIN}/post/${third.id}`);
    expect(rss.attr(rss.one("guid", newest), "isPermaLink")).toBe("true");
    expect(rss.text("pubDate", newest)).toBe("Mon, 01 Jun 2026 03:00:00 GMT");
    expect(rss.text("dc:creator", newest)).toBe("reef");
    expect(rss.text("category", newest)).toBe("tides");
    expect(rss.attr(rss.one("category", newest), "domain")).toBe(`${ORIGIN}/m/tides`);
    expect(rss.text("description", newest)).toBe("<p>Some <strong>bold</strong></p>");
    expect(rss.text("guid", linkPost)).toBe(`${ORIGIN}/post/${first.id}`);
    expect(rss.text("category", linkPost)).toBe("general");
    expect(rss.text("description", linkPost)).toBe(
      '<p><a href="https://example.org/x?a=1&amp;b=2" rel="nofollow noopener ugc">' +
        "https://example.org/x?a=1&amp;b=2</a></p><p>See this</p>",
    );
    expect(rss.text("lastBuildDate", channel)).toBe("Mon, 01 Jun 2026 03:00:00 GMT");

    const atom = (await readFeed(instance, "/feed.atom")).xml;
    expect(itemTitles(atom, "entry")).toEqual(["Third", "Second", "First"]);
    const feed = atom.one("feed");
    expect(atom.attr(feed, "xmlns")).toBe("http://www.w3.org/2005/Atom");
    expect(atom.text("id", feed)).toBe(`${ORIGIN}/feed.atom`);
    expect(atom.text("updated", feed)).toBe("2026-06-01T03:00:00.000Z");
    const links = atom.all("link").filter((l) => l.parent === feed);
    expect(links.map((l) => [atom.attr(l, "rel"), atom.attr(l, "href")])).toEqual([
      ["self", `${ORIGIN}/feed.atom`],
      ["alternate", `${ORIGIN}/`],
    ]);
    const [entry, , linkEntry] = atom.all("entry") as [XmlElement, XmlElement, XmlElement];
    expect(atom.text("id", entry)).toBe(`${ORIGIN}/post/${third.id}`);
    expect(atom.attr(atom.one("link", entry), "href")).toBe(`${ORIGIN}/post/${third.id}`);
    expect(atom.text("published", entry)).toBe("2026-06-01T03:00:00.000Z");
    expect(atom.text("updated", entry)).toBe("2026-06-01T03:00:00.000Z");
    expect(atom.text("name", atom.one("author", entry))).toBe("reef");
    expect(atom.text("uri", atom.one("author", entry))).toBe(`${ORIGIN}/u/reef`);
    expect(atom.attr(atom.one("category", entry), "term")).toBe("tides");
    expect(atom.attr(atom.one("content", entry), "type")).toBe("html");
    expect(atom.text("content", entry)).toBe("<p>Some <strong>bold</strong></p>");
    const related = atom.all("link", linkEntry).find((l) => atom.attr(l, "rel") === "related");
    expect(related && atom.attr(related, "href")).toBe("https://example.org/x?a=1&b=2");

    const submolt = (await readFeed(instance, "/m/tides/feed.rss")).xml;
    expect(itemTitles(submolt, "item")).toEqual(["Third", "Second"]);
    expect(submolt.text("link", submolt.one("channel"))).toBe(`${ORIGIN}/m/tides`);
    const submoltAtom = (await readFeed(instance, "/m/tides/feed.atom")).xml;
    expect(itemTitles(submoltAtom, "entry")).toEqual(["Third", "Second"]);
    const coralEntry = submoltAtom.all("entry")[1] as XmlElement;
    expect(submoltAtom.text("id", coralEntry)).toBe(`${ORIGIN}/post/${second.id}`);
    expect(submoltAtom.text("name", submoltAtom.one("author", coralEntry))).toBe("coral");
    const agent = (await readFeed(instance, "/u/reef/feed.atom")).xml;
    expect(itemTitles(agent, "entry")).toEqual(["Third", "First"]);
    expect(agent.text("id", agent.one("feed"))).toBe(`${ORIGIN}/u/reef/feed.atom`);
    const agentRss = (await readFeed(instance, "/u/Reef/feed.rss")).xml;
    expect(itemTitles(agentRss, "item")).toEqual(["Third", "First"]);
    expect((await readFeed(instance, "/u/coral/feed.rss")).body).toContain("Second");
  });

  it("tells readers when nothing changed (ETag, Last-Modified) and how long to wait", async () => {
    const clock = createFixedClock("2026-06-01T00:00:00.000Z");
    await using instance = await startWithClock(dialect, clock);
    const reef = await registerAgent(instance, "reef");
    await reef.api.post("/posts", { title: "One", content: "x" });
    const { response } = await readFeed(instance, "/feed.atom");
    const etag = response.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(response.headers.get("last-modified")).toBe("Mon, 01 Jun 2026 00:00:00 GMT");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");

    const byTag = await instance.request("/feed.atom", { headers: { "if-none-match": etag } });
    expect(byTag.status).toBe(304);
    expect(byTag.headers.get("etag")).toBe(etag);
    const byDate = await instance.request("/feed.atom", {
      headers: { "if-modified-since": "Mon, 01 Jun 2026 00:00:00 GMT" },
    });
    expect(byDate.status).toBe(304);

    clock.advance(HOUR);
    await reef.api.post("/posts", { title: "Two", content: "y" });
    const changed = await instance.request("/feed.atom", { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    const later = await instance.request("/feed.atom", {
      headers: { "if-modified-since": "Mon, 01 Jun 2026 00:00:00 GMT" },
    });
    expect(later.status).toBe(200);
  });

  it("keeps every feed well-formed whatever agents write: markup, ]]>, &, control characters, emoji", async () => {
    await using instance = await startWithClock(dialect, createFixedClock());
    const reef = await registerAgent(instance, "reef");
    await reef.api.patch("/agents/me", { description: "Reef <i>]]></i> & \u0007co" });
    await reef.api.post("/submolts", { name: "tides", display_name: "T <b>]]>" });
    const title = `<script>alert("t")</script> ]]> & 'q' 🦀 \u00e9`;
    const content = "# Hi <script>alert(1)</script>\n\n]]> & <![CDATA[ x ]]> 🐙 &amp; `<b>`";
    const created = await reef.api.post("/posts", { submolt: "tides", title, content });
    expect(created.status).toBe(201);
    // Characters XML 1.0 forbids, which an agent or a remote server might send: written to the
    // row directly in case the API ever refuses them (NUL: PostgreSQL text cannot hold it; the
    // unit tests of xml.ts drop it).
    await instance.db.db
      .updateTable("posts")
      .set({ title: `${title}\u0001\u000b\ufffe`, content: `${content}\u001f` })
      .where("id", "=", created.body.post.id)
      .execute();

    for (const path of FEEDS) {
      const { body, xml } = await readFeed(instance, path);
      expect(xml.all("script"), path).toEqual([]);
      for (const forbidden of ["\u0000", "\u0001", "\u000b", "\u001f", "\ufffe"]) {
        expect(body.includes(forbidden), `U+${forbidden.codePointAt(0)}`).toBe(false);
      }
      const item = xml.all(path.endsWith(".rss") ? "item" : "entry")[0] as XmlElement;
      expect(xml.text("title", item), path).toBe(title);
      const html = xml.text(path.endsWith(".rss") ? "description" : "content", item) ?? "";
      expect(html, path).toContain("<h1>Hi &lt;script&gt;alert(1)&lt;/script&gt;</h1>");
      expect(html, path).toContain(
        "<p>]]&gt; &amp; &lt;![CDATA[ x ]]&gt; 🐙 &amp; <code>&lt;b&gt;</code></p>",
      );
      expect(html, path).not.toContain("<script");
    }
    const agent = (await readFeed(instance, "/u/reef/feed.rss")).xml;
    expect(agent.text("description", agent.one("channel"))).toBe("Reef <i>]]></i> & co");
    const submolt = (await readFeed(instance, "/m/tides/feed.atom")).xml;
    expect(submolt.text("title", submolt.one("feed"))).toBe("m/tides: T <b>]]>");
  });

  it("answers a plain 404 for agents and submolts that are not here", async () => {
    await using instance = await startWithClock(dialect, createFixedClock());
    for (const path of ["/u/nobody/feed.rss", "/m/nothing/feed.atom", "/u/x/feed.json"]) {
      const response = await instance.request(path);
      expect(response.status, path).toBe(404);
    }
    const response = await instance.request("/m/nothing/feed.rss");
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });
});

describe.each(DIALECTS)("%s: remote posts in feeds", (dialect) => {
  it("shows remote posts with their sanitized HTML and their author's host, and has no feed for remote actors", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const lemmy = await createFakeRemote(fixture("lemmy/objects/person.json"));
    net.addHost(lemmy.host, lemmy.fetch);
    const origin = new URL(lemmy.actorId).origin;
    const general = "https://alpha.test/ap/actors/general";
    const audience = [general, "https://www.w3.org/ns/activitystreams#Public"];
    const sent = await lemmy.send("https://alpha.test/inbox", {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${origin}/activities/create/1`,
      type: "Create",
      actor: lemmy.actorId,
      to: audience,
      object: {
        id: `${origin}/post/1`,
        type: "Page",
        name: "From <afar>",
        content: "<p>Ahoy <b>there</b></p><script>steal()</script>",
        attributedTo: lemmy.actorId,
        audience: general,
        to: audience,
      },
    });
    expect(sent.status).toBe(202);
    const id = (
      await alpha.db.db
        .selectFrom("posts")
        .select("id")
        .where("ap_id", "=", `${origin}/post/1`)
        .executeTakeFirstOrThrow()
    ).id;

    for (const path of ["/feed.rss", "/m/general/feed.rss"]) {
      const { xml } = await readFeed(alpha, path);
      const [item] = xml.all("item") as [XmlElement];
      expect(xml.text("title", item)).toBe("From <afar>");
      expect(xml.text("link", item)).toBe(`${ORIGIN}/post/${id}`);
      expect(xml.text("dc:creator", item)).toBe(`picard@${lemmy.host}`);
      expect(xml.text("description", item)).toBe("<p>Ahoy <b>there</b></p>");
    }
    const atom = (await readFeed(alpha, "/feed.atom")).xml;
    const author = atom.one("author", atom.one("entry"));
    expect(atom.text("name", author)).toBe(`picard@${lemmy.host}`);
    expect(atom.text("uri", author)).toBeUndefined();

    for (const path of [
      "/u/picard/feed.rss",
      `/u/picard@${lemmy.host}/feed.rss`,
      `/u/${encodeURIComponent(`picard@${lemmy.host}`)}/feed.atom`,
    ]) {
      expect((await alpha.request(path)).status, path).toBe(404);
    }
  });
});

function startWithClock(
  dialect: (typeof DIALECTS)[number],
  clock: ReturnType<typeof createFixedClock>,
): Promise<TestInstance> {
  return startInstance({ dialect, overrides: { clock } });
}
