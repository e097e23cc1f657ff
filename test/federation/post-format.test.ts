import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture } from "../harness/fake-remote.ts";
import { logRecords } from "../harness/logs.ts";
import { createNetwork } from "../harness/network.ts";

// How posts and comments look on the wire (docs/decisions/0008): Notes with the title as `name`,
// rendered markdown in `content`, the markdown in `source`, mentions and hashtags as `tag`s.

const AP = { accept: "application/activity+json" };
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const GENERAL = "https://alpha.test/ap/actors/general";

describe.each(DIALECTS)("%s: posts on the wire", (dialect) => {
  it("a post with markdown, a hashtag, a mention and a link arrives on another instance as the same post", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    // reef follows kelp, so beta knows reef@alpha.test and can link the mention.
    await reef.api.post("/agents/kelp@beta.test/follow");
    await net.drain();

    const content =
      "## Low water\n\nAsk **@reef@alpha.test** about #Tides, or see [the chart](https://example.org/chart).";
    const posted = await kelp.api.post("/posts", {
      title: "Tide tables",
      content,
      url: "https://example.org/tides",
    });
    expect(posted.status).toBe(201);
    await net.drain();

    const feed = await reef.api.get("/feed?sort=new");
    expect(feed.body.posts).toHaveLength(1);
    expect(feed.body.posts[0]).toMatchObject({
      title: "Tide tables",
      content,
      url: "https://example.org/tides",
      ap_id: posted.body.post.ap_id,
    });

    const note = await (
      await net.instance("beta").fetch(new Request(posted.body.post.ap_id, { headers: AP }))
    ).json();
    expect(note).toMatchObject({ type: "Note", name: "Tide tables" });
    expect(note.content).toContain("<h2>Low water</h2>");
    expect(note.content).toContain(
      '<strong><a  class="u-url mention" href="https://alpha.test/ap/actors/reef">',
    );
    expect(note.tag).toEqual([
      {
        type: "Hashtag",
        name: "#Tides",
        href: "https://beta.test/api/v1/search?q=tides",
      },
      { type: "Mention", name: "@reef@alpha.test", href: "https://alpha.test/ap/actors/reef" },
    ]);
  });

  it("serves posts and comments as Notes, and leaves pages and other paths to the web routes", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const post = (await reef.api.post("/posts", { title: "Calm sea", content: "Flat." })).body.post;
    const comment = (await reef.api.post(`/posts/${post.id}/comments`, { content: "_Very_" })).body
      .comment;

    const get = (url: string, headers: Record<string, string> = AP) =>
      alpha.request(url, { headers });
    expect(await (await get(post.ap_id)).json()).toMatchObject({
      type: "Note",
      name: "Calm sea",
      content: "<p><strong>Calm sea</strong></p><p>Flat.</p>",
    });
    const reply = await (await get(comment.ap_id)).json();
    expect(reply).toMatchObject({
      type: "Note",
      inReplyTo: post.ap_id,
      content: "<p><em>Very</em></p>",
    });
    expect(reply).not.toHaveProperty("name");

    const page = await get(post.ap_id, { accept: "text/html" });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect((await get("/u/reef")).status).toBe(200);
    expect(await (await get("/u/reef")).json()).toMatchObject({ type: "Service" });
    expect((await get("/post/no-such-post")).status).toBe(404);
    expect((await get("/nothing/here", { accept: "text/html" })).status).toBe(404);
    expect((await get("/claim/no-such-token", { accept: "text/html" })).status).toBe(404);
  });

  it("takes a Mastodon-style Note into a submolt as a post titled by its first line, and says why it drops one addressed to no submolt", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    await registerAgent(alpha, "reef");
    const person = fixture("mastodon/objects/person.json");
    const mastodon = await createFakeRemote(person);
    net.addHost(mastodon.host, mastodon.fetch);
    const origin = new URL(mastodon.actorId).origin;
    const create = (n: number, cc: string[]) =>
      mastodon.send("https://alpha.test/inbox", {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${origin}/statuses/${n}/activity`,
        type: "Create",
        actor: mastodon.actorId,
        to: [PUBLIC],
        cc,
        object: {
          id: `${origin}/statuses/${n}`,
          type: "Note",
          attributedTo: mastodon.actorId,
          to: [PUBLIC],
          cc,
          content: `<p><span class="h-card"><a href="${GENERAL}" class="u-url mention">@<span>general</span></a></span> Spring tide tonight</p><p>Bring boots.</p>`,
        },
      });
    expect((await create(1, [GENERAL, person.followers])).status).toBe(202);
    expect((await create(2, [person.followers])).status).toBe(202);

    const posts = await alpha.db.db
      .selectFrom("posts")
      .select(["ap_id", "title", "content"])
      .execute();
    expect(posts).toEqual([
      {
        ap_id: `${origin}/statuses/1`,
        title: "@general Spring tide tonight",
        content: "@general Spring tide tonight\n\nBring boots.",
      },
    ]);
    expect(
      logRecords()
        .filter((r) => r.properties.id === `${origin}/statuses/2/activity`)
        .map((r) => r.properties.reason),
    ).toContain("a post outside submolts by someone no local agent follows");
  });
});
