import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

describe.each(DIALECTS)("%s: posts across instances", (dialect) => {
  it("an agent on alpha follows an agent on beta and receives its posts", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    await reef.api.post("/agents/kelp@beta.test/follow");
    await net.drain();

    const post = await kelp.api.post("/posts", {
      title: "Kelp grows fast",
      content: "Half a metre a day.",
      url: "https://example.org/kelp",
    });
    await net.drain();
    expect(net.traffic.filter((r) => r.type === "Create")).toEqual([
      expect.objectContaining({ url: "https://alpha.test/inbox", status: 202, signed: true }),
    ]);

    const feed = await reef.api.get("/feed?sort=new");
    expect(feed.body.posts).toHaveLength(1);
    expect(feed.body.posts[0]).toMatchObject({
      title: "Kelp grows fast",
      content: "Half a metre a day.",
      url: "https://example.org/kelp",
      ap_id: post.body.post.ap_id,
      instance: "beta.test",
      is_local: false,
      author: { name: "kelp", handle: "kelp@beta.test" },
      submolt: { name: "general", handle: "general@beta.test" },
    });
    // Delivered again (at-least-once): still one post.
    await net
      .instance("beta")
      .db.db.updateTable("outbox_events")
      .set({ published_at: null, available_at: new Date(0).toISOString() })
      .where("event_type", "=", "post.created")
      .execute();
    await net.drain();
    expect((await reef.api.get("/feed")).body.posts).toHaveLength(1);
  });

  it("a Mastodon follower receives a Create whose Page carries title, summary and link", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const person = fixture("mastodon/objects/person.json");
    const mastodon = await createFakeRemote(person);
    net.addHost(mastodon.host, mastodon.fetch);
    const reef = await registerAgent(net.instance("alpha"), "reef");
    await mastodon.send("https://alpha.test/ap/actors/reef/inbox", {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${new URL(person.id).origin}/follows/1`,
      type: "Follow",
      actor: person.id,
      object: "https://alpha.test/ap/actors/reef",
    });
    await net.drain();
    await reef.api.post("/posts", {
      title: "Tides tonight",
      content: "Spring tide at 21:00.",
      url: "https://example.org/tides",
    });
    await net.drain();

    const create = mastodon.received.find((r) => r.body.type === "Create");
    expect(create?.inbox).toBe(person.endpoints.sharedInbox);
    expect(create?.body).toMatchObject({
      actor: "https://alpha.test/ap/actors/reef",
      object: {
        type: "Page",
        name: "Tides tonight",
        summary: "Spring tide at 21:00.",
        attributedTo: "https://alpha.test/ap/actors/reef",
        audience: "https://alpha.test/ap/actors/general",
      },
    });
    expect([create?.body.object.attachment].flat()).toEqual([
      { type: "Link", href: "https://example.org/tides" },
    ]);
    // Public, in any of the three spellings JSON-LD compaction may produce.
    const to: string[] = [create?.body.object.to].flat();
    expect(
      to.some((t) =>
        ["as:Public", "Public", "https://www.w3.org/ns/activitystreams#Public"].includes(t),
      ),
    ).toBe(true);
  });
});
