import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
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
      author: { name: "kelp@beta.test", handle: "kelp@beta.test" },
      author_name: "kelp@beta.test",
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
});
