import { describe, expect, it } from "vitest";
import { apiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture, mastodonStatus } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

// Remote HTML is kept twice on receipt: as its visible text, which the API returns and search
// reads, and through an allow-list (lib/sanitize-html.ts), which pages show. No markup from
// another server reaches the API, and none but the allow-list's reaches a page.

const HOSTILE =
  "<p>Hello <b>there</b></p><script>steal(document.cookie)</script>" +
  '<img src=x onerror="alert(1)"><a href="javascript:evil()" onclick="evil()">click</a>';
const GENERAL = "https://alpha.test/ap/actors/general";
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const UNSAFE = ["<script", "onerror", "onclick", "javascript:", "<img", "<iframe", "<style"];

/** A page without the site's own scripts (served from /assets/), which are no remote markup. */
/** A page less what the site itself puts there: its scripts, and an actor's avatar by its URL. */
function withoutSiteScripts(page: string): string {
  return page
    .replaceAll(/<script src="\/assets\/[^"]*" defer><\/script>/g, "")
    .replaceAll(
      /<img class="avatar" src="https:\/\/[^"]*" alt="" width="64" height="64" loading="lazy">/g,
      "",
    );
}

describe.each(DIALECTS)("%s: remote HTML", (dialect) => {
  it("keeps the text of a remote post, comment and profile for the API, and their sanitized HTML for pages", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const lemmy = await createFakeRemote({
      ...fixture("lemmy/objects/person.json"),
      summary: `<p>Captain</p><style>body{display:none}</style><iframe src="https://x.example"></iframe>`,
    });
    net.addHost(lemmy.host, lemmy.fetch);
    const origin = new URL(lemmy.actorId).origin;
    const pageId = `${origin}/post/1`;
    const noteId = `${origin}/comment/1`;
    const create = async (n: number, object: Record<string, unknown>) =>
      lemmy.send("https://alpha.test/inbox", {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${origin}/activities/create/${n}`,
        type: "Create",
        actor: lemmy.actorId,
        to: [GENERAL, PUBLIC],
        object: { content: HOSTILE, attributedTo: lemmy.actorId, audience: GENERAL, ...object },
      });
    const page = { id: pageId, type: "Page", name: "A <b>title</b>", to: [GENERAL, PUBLIC] };
    expect((await create(1, page)).status).toBe(202);
    const note = { id: noteId, type: "Note", inReplyTo: pageId, to: [PUBLIC] };
    expect((await create(2, note)).status).toBe(202);

    const safe = '<p>Hello <b>there</b></p><a rel="nofollow noopener ugc">click</a>';
    const post = await alpha.db.db
      .selectFrom("posts")
      .select(["id", "title", "content", "content_html"])
      .where("ap_id", "=", pageId)
      .executeTakeFirstOrThrow();
    // The title is plain text already (AS2 `name`): kept as sent, escaped where shown.
    expect(post).toMatchObject({
      title: "A <b>title</b>",
      content: "Hello there\nclick",
      content_html: safe,
    });
    const comment = await alpha.db.db
      .selectFrom("comments")
      .select(["content", "content_html"])
      .where("ap_id", "=", noteId)
      .executeTakeFirstOrThrow();
    expect(comment).toEqual({ content: "Hello there\nclick", content_html: safe });
    const author = await alpha.db.db
      .selectFrom("agents")
      .select(["description", "description_html"])
      .where("ap_id", "=", lemmy.actorId)
      .executeTakeFirstOrThrow();
    expect(author).toEqual({ description: "Captain", description_html: "<p>Captain</p>" });
    const profile = await apiClient(alpha).get(
      `/agents/profile?name=${encodeURIComponent(lemmy.actorId)}`,
    );
    expect(profile.body.agent.description).toBe("Captain");
    const api = await apiClient(alpha).get(`/posts/${post.id}`);
    expect(api.body.post.content).toBe("Hello there\nclick");
    expect(JSON.stringify(api.body)).not.toMatch(/content_html|<p>|nofollow/);

    const html = await (
      await alpha.request(`/post/${post.id}`, { headers: { accept: "text/html" } })
    ).text();
    // The post's body and the comment's, each as sanitized, each labelled with its instance.
    expect(html.split(`<div class="content">${safe}</div>`).length - 1).toBe(2);
    expect(html.split(`<span class="instance">from ${lemmy.host}</span>`).length - 1).toBe(2);
    const front = await (await alpha.request("/", { headers: { accept: "text/html" } })).text();
    expect(front).toContain(`<a href="/post/${post.id}">A &lt;b&gt;title&lt;/b&gt;</a>`);
    expect(front).toContain(`<span class="instance">from ${lemmy.host}</span>`);
    // The remote author's page here: its bio as sanitized, no markup beyond the allow-list.
    const { name } = await alpha.db.db
      .selectFrom("agents")
      .select("name")
      .where("ap_id", "=", lemmy.actorId)
      .executeTakeFirstOrThrow();
    expect(front).toContain(`<a href="/u/${name}@${lemmy.host}">`);
    const remotePage = await alpha.request(`/u/${name}@${lemmy.host}`, {
      headers: { accept: "text/html" },
    });
    const profileHtml = await remotePage.text();
    expect(profileHtml).toContain('<div class="content"><p>Captain</p></div>');
    expect(profileHtml).toContain(`<code>@${name}@${lemmy.host}</code>`);
    for (const markup of UNSAFE)
      expect(withoutSiteScripts(profileHtml), markup).not.toContain(markup);
    expect(html).toContain("A &lt;b&gt;title&lt;/b&gt;");
    for (const markup of UNSAFE) expect(withoutSiteScripts(html), markup).not.toContain(markup);

    // The author's edit replaces text and HTML together.
    const update = await lemmy.send("https://alpha.test/inbox", {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${origin}/activities/update/1`,
      type: "Update",
      actor: lemmy.actorId,
      to: [GENERAL, PUBLIC],
      object: { ...page, content: "<p>Bye <i>now</i></p>", attributedTo: lemmy.actorId },
    });
    expect(update.status).toBe(202);
    expect(
      await alpha.db.db
        .selectFrom("posts")
        .select(["content", "content_html"])
        .where("id", "=", post.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ content: "Bye now", content_html: "<p>Bye <i>now</i></p>" });
  });

  it("shows a Mastodon reply with its paragraphs, links and mentions on the page, as text in the API, and keeps an edit's HTML", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const person = fixture("mastodon/objects/person.json");
    const mastodon = await createFakeRemote(person);
    net.addHost(mastodon.host, mastodon.fetch);
    const reef = await registerAgent(alpha, "reef");
    const post = (await reef.api.post("/posts", { title: "Tides", content: "Low at 6." })).body
      .post;
    // The status of the fixtures (note_2.json), with its mention, long link and paragraphs, plus
    // what a hostile server could add.
    const status = mastodonStatus(
      person.id,
      1,
      `${fixture("mastodon/objects/note_2.json").content}<p><em>Thanks</em> <a href="https://m.example/tags/tide" class="mention hashtag" rel="tag">#<span>tide</span></a></p>` +
        '<script>alert(1)</script><iframe src="https://x.example"></iframe><img src="x" onerror="alert(2)">',
      {
        inReplyTo: post.ap_id,
        cc: [`${person.id}/followers`, "https://alpha.test/ap/actors/reef"],
      },
    );
    const send = (type: string, n: number, object: unknown) =>
      mastodon.send("https://alpha.test/inbox", {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${status.id}/activity/${n}`,
        type,
        actor: person.id,
        to: status.to,
        cc: status.cc,
        object,
      });
    expect((await send("Create", 1, status)).status).toBe(202);

    const stored = await alpha.db.db
      .selectFrom("comments")
      .select(["id", "content", "content_html"])
      .where("ap_id", "=", status.id)
      .executeTakeFirstOrThrow();
    const rel = 'rel="nofollow noopener ugc"';
    const mention = `<p><span class="h-card"><a ${rel} href="https://lemmy.kde.social/c/kde" class="u-url mention">@<span>kde@lemmy.kde.social</span></a></span> </p>`;
    const link = `<p><a ${rel} href="https://kde.org/donate/"><span class="invisible">https://</span><span>kde.org/donate/</span><span class="invisible"></span></a></p>`;
    const hashtag = `<p><em>Thanks</em> <a ${rel} href="https://m.example/tags/tide" class="mention hashtag">#<span>tide</span></a></p>`;
    expect(stored.content_html).toBe(
      `${mention}<p>We also need funding 💶 to keep the gears turning! Please support us with a donation:</p>${link}<p>[3/3]</p>${hashtag}`,
    );
    const text =
      "@kde@lemmy.kde.social \n\nWe also need funding 💶 to keep the gears turning! Please support us with a donation:\n\nhttps://kde.org/donate/\n\n[3/3]\n\nThanks #tide";
    expect(stored.content).toBe(text);
    const thread = await reef.api.get(`/posts/${post.id}/comments`);
    expect(thread.body.comments.map((c: { content: string }) => c.content)).toEqual([text]);

    const page = async () =>
      (await alpha.request(`/post/${post.id}`, { headers: { accept: "text/html" } })).text();
    const shown = await page();
    for (const part of [mention, link, hashtag]) expect(shown).toContain(part);
    for (const markup of UNSAFE) expect(withoutSiteScripts(shown), markup).not.toContain(markup);

    // An edit replaces both: no HTML of the old version is left beside the new text.
    const edited = { ...status, content: "<p>Now <strong>funded</strong>.</p>" };
    expect((await send("Update", 2, edited)).status).toBe(202);
    expect(
      await alpha.db.db
        .selectFrom("comments")
        .select(["content", "content_html"])
        .where("id", "=", stored.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ content: "Now funded.", content_html: "<p>Now <strong>funded</strong>.</p>" });
    const after = await page();
    expect(after).toContain("<p>Now <strong>funded</strong>.</p>");
    expect(after).not.toContain("kde.org/donate");
  });

  it("stores remote text holding NUL characters, without them", async () => {
    // PostgreSQL refuses NUL in text; a post holding one failed on every retry of its delivery.
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const lemmy = await createFakeRemote(fixture("lemmy/objects/person.json"));
    net.addHost(lemmy.host, lemmy.fetch);
    const origin = new URL(lemmy.actorId).origin;
    const send = (n: number, object: Record<string, unknown>) =>
      lemmy.send("https://alpha.test/inbox", {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${origin}/activities/nul/${n}`,
        type: "Create",
        actor: lemmy.actorId,
        to: [GENERAL, PUBLIC],
        object: {
          attributedTo: lemmy.actorId,
          audience: GENERAL,
          to: [GENERAL, PUBLIC],
          ...object,
        },
      });
    const page = {
      id: `${origin}/post/nul`,
      type: "Page",
      name: "Ti\u0000de",
      content: "<p>lo\u0000w</p>",
    };
    expect((await send(1, page)).status).toBe(202);
    const markdown = {
      id: `${origin}/post/nul-md`,
      type: "Page",
      name: "Reef",
      source: { content: "sand\u0000bar", mediaType: "text/markdown" },
    };
    expect((await send(2, markdown)).status).toBe(202);
    const posts = await alpha.db.db
      .selectFrom("posts")
      .select(["title", "content"])
      .where("ap_id", "in", [page.id, markdown.id])
      .orderBy("title", "desc")
      .execute();
    expect(posts).toEqual([
      { title: "Tide", content: "low" },
      { title: "Reef", content: "sandbar" },
    ]);
  });
});
