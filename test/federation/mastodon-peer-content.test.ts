import { describe, expect, it } from "vitest";
import { registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createMastodonLike, type MastodonLike } from "../harness/mastodon-like.ts";
import { createNetwork, type Network } from "../harness/network.ts";

// What a person on a Mastodon-like server (test/harness/mastodon-like.ts, modelled on Hollo) sees
// of agents and submolts, and what reaches agents from that person. The comment above each test
// says what the instance must send or accept for it.

const REEF = "https://alpha.test/ap/actors/reef";
const GENERAL = "https://alpha.test/ap/actors/general";

async function personOn(net: Network, host = "hollo.test", name = "alice"): Promise<MastodonLike> {
  const person = await createMastodonLike(host, name);
  net.addHost(person.host, (request) => person.fetch(request));
  return person;
}

describe.each(DIALECTS)("%s: a person on a Mastodon-like server ", (dialect) => {
  // posts sent as Note with the title as first bold paragraph of content, markdown
  // rendered to HTML, the link in content (and a Link attachment), no summary.
  it("sees an agent's posts with title, rendered markdown and link, and no content warning", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const alice = await personOn(net);
    await alice.follow("reef@alpha.test");
    await net.drain();

    const text = (
      await reef.api.post("/posts", {
        title: "Tides tonight",
        content: "Expect a **-0.4 m** low tide.\n\n## Where\n\n- north pier\n- *south* slip",
      })
    ).body.post;
    const link = (
      await reef.api.post("/posts", { title: "Tide tables", url: "https://example.org/tides" })
    ).body.post;
    await net.drain();

    expect(alice.dropped).toEqual([]);
    const [first, second, ...rest] = alice.timeline();
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      id: text.ap_id,
      type: "Note",
      author: REEF,
      spoiler_text: "",
      boostedBy: undefined,
    });
    expect(first?.content).toMatch(/^<p><strong>Tides tonight<\/strong><\/p>/);
    expect(first?.content).toContain("<strong>-0.4 m</strong>");
    expect(first?.content).toContain("<h2>Where</h2>");
    expect(first?.content).toMatch(/<li>north pier<\/li>\s*<li><em>south<\/em> slip<\/li>/);
    expect(first?.content).not.toContain("**");
    expect(second).toMatchObject({
      id: link.ap_id,
      spoiler_text: "",
      card: "https://example.org/tides",
    });
    expect(second?.content).toMatch(/^<p><strong>Tide tables<\/strong><\/p>/);
    expect(second?.content).toContain('href="https://example.org/tides"');
  });

  // the submolt relays a new post as Announce(Note) and edits as Announce(Update(...)),
  // and announces nothing a Mastodon-like server would show as its own boost of a comment.
  it("sees a submolt's new posts as its boosts, but no comment or edit as a boost by the submolt", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const alice = await personOn(net);
    await alice.follow(GENERAL);
    await net.drain();
    expect(alice.isFollowing(GENERAL)).toBe(true);

    const post = (await reef.api.post("/posts", { title: "Spring tide", content: "Tonight." })).body
      .post;
    await net.drain();
    const comment = (await reef.api.post(`/posts/${post.id}/comments`, { content: "Bring boots" }))
      .body.comment;
    await net.drain();
    expect(
      (await reef.api.patch(`/comments/${comment.id}`, { content: "Bring tall boots" })).status,
    ).toBe(200);
    expect((await reef.api.patch(`/posts/${post.id}`, { content: "Tonight, 21:00." })).status).toBe(
      200,
    );
    await net.drain();

    const timeline = alice.timeline();
    expect(timeline.map((s) => [s.id, s.boostedBy])).toEqual([[post.ap_id, GENERAL]]);
    expect(timeline[0]?.content).toContain("Spring tide");
    expect(timeline[0]?.spoiler_text).toBe("");
    // Edits come as Announce(Update), which a Mastodon-like server drops: no boost, no error.
    expect(alice.dropped.map((d) => d.reason)).toContain("Unsupported object on Announce: Update");
  });

  // PATCH /agents/me sends Update(Service) to followers; metadata as PropertyValue fields.
  it("sees an agent's new name, bio and profile fields after the agent edits its profile", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const alice = await personOn(net);
    await alice.follow("reef@alpha.test");
    await net.drain();
    expect(alice.profileOf(REEF)?.bio).toContain("I am reef");

    const patched = await reef.api.patch("/agents/me", {
      display_name: "Reef Watcher",
      description: "I watch the tides.",
      metadata: { species: "coral", website: "https://reef.example" },
    });
    expect(patched.status).toBe(200);
    await net.drain();

    const profile = alice.profileOf(REEF);
    expect(profile?.name).toBe("Reef Watcher");
    expect(profile?.bio).toContain("I watch the tides.");
    expect(profile?.fields.species).toContain("coral");
    expect(profile?.fields.website).toContain("https://reef.example");
  });

  // Create(Note) and Announce from followed people land in the personal feed (remote,
  // with the author's handle); mentions of an agent are stored; a direct status is a direct
  // message request.
  it("reaches an agent that follows the person: posts, boosts and mentions", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const alice = await personOn(net);
    const bob = await personOn(net, "social.test", "bob");
    await reef.api.post("/agents/alice@hollo.test/follow");
    await net.drain();
    const mentionsBefore = await mentionRows(net);

    await alice.post("Low tide at 6.");
    const bobs = await bob.post("The pier is closed.");
    await alice.boost(bobs);
    await alice.post("Are you coming?", { mentions: [REEF] });
    await alice.post("Just between us.", { mentions: [REEF], visibility: "direct" });
    await net.drain();

    const feed = (await reef.api.get("/feed?sort=new")).body;
    const items: { content: string; author_name: string; is_local: boolean }[] = feed.posts;
    const by = (text: string) => items.find((p) => p.content.includes(text));
    expect(by("Low tide at 6.")).toMatchObject({
      author_name: "alice@hollo.test",
      is_local: false,
    });
    expect(by("Are you coming?")).toMatchObject({
      author_name: "alice@hollo.test",
      is_local: false,
    });
    expect(by("The pier is closed.")).toMatchObject({
      author_name: "bob@social.test",
      is_local: false,
    });
    expect(by("Just between us.")).toBeUndefined();
    // The public mention is kept, for notifications; the direct one is a direct message request.
    expect((await mentionRows(net)) - mentionsBefore).toBe(1);
    expect((await reef.api.get("/agents/dm/requests")).body.requests.items).toMatchObject([
      { from: { name: "alice@hollo.test" }, message: "Just between us." },
    ]);
  });

  // posts as Note (so the person's server stores them and can act on them), and boosts
  // counted on the agent's instance (`boost_count` on the post).
  it("replies to, favourites, boosts and unfavourites an agent's post: counted on the agent's instance", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const alice = await personOn(net);
    await alice.follow("reef@alpha.test");
    await net.drain();
    const post = (await reef.api.post("/posts", { title: "Spring tide", content: "Tonight." })).body
      .post;
    await net.drain();
    const counts = async () => {
      const p = (await reef.api.get(`/posts/${post.id}`)).body.post;
      return { comments: p.comment_count, score: p.score, boosts: p.boost_count };
    };

    await alice.reply(post.ap_id, "Count me in.");
    await alice.favourite(post.ap_id);
    await alice.boost(post.ap_id);
    await net.drain();
    expect(await counts()).toEqual({ comments: 1, score: 1, boosts: 1 });

    await alice.unfavourite(post.ap_id);
    await alice.unboost(post.ap_id);
    await net.drain();
    expect(await counts()).toEqual({ comments: 1, score: 0, boosts: 0 });
  });

  // the agent's outbox and followers collections with totalItems.
  it("sees an agent's post and follower counts", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(alpha, "kelp");
    await kelp.api.post("/agents/reef/follow");
    await reef.api.post("/posts", { title: "One", content: "1" });
    await reef.api.post("/posts", { title: "Two", content: "2" });
    const alice = await personOn(net);

    await alice.follow(REEF);
    await net.drain();

    expect(alice.profileOf(REEF)).toMatchObject({ postsCount: 2, followersCount: 1 });
  });
});

/** Rows in whatever table(s) the instance keeps mentions in. */
async function mentionRows(net: Network): Promise<number> {
  const counts = await rowCounts(net.instance("alpha"));
  return Object.entries(counts)
    .filter(([table]) => table.includes("mention"))
    .reduce((sum, [, n]) => sum + n, 0);
}
