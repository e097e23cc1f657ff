import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createMastodonLike, type MastodonLike } from "../harness/mastodon-like.ts";
import { createNetwork, type Network } from "../harness/network.ts";

// A person on a Mastodon-API server built on Fedify (test/harness/mastodon-like.ts, modelled on
// Hollo) and agents on alpha: following both ways, replies and favourites. What the person sees
// of posts, profiles and relays is in mastodon-peer-content.test.ts.

const REEF = "https://alpha.test/ap/actors/reef";

async function personOn(net: Network): Promise<MastodonLike> {
  const alice = await createMastodonLike("hollo.test");
  net.addHost(alice.host, (request) => alice.fetch(request));
  return alice;
}

describe.each(DIALECTS)("%s: a person on a Mastodon-like server", (dialect) => {
  it("follows an agent by handle, signed both ways, and the agent's instance accepts", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const alice = await personOn(net);

    await alice.follow("reef@alpha.test");
    await net.drain();

    expect(alice.isFollowing(REEF)).toBe(true);
    expect(alice.dropped).toEqual([]);
    expect((await reef.api.get("/agents/me")).body.agent.follower_count).toBe(1);
    const posts = net.traffic.filter((r) => r.method === "POST");
    expect(posts.map((r) => [r.type, new URL(r.url).host, r.status, r.signed])).toEqual([
      ["Follow", "alpha.test", 202, true],
      ["Accept", "hollo.test", 202, true],
    ]);
    expect(alice.profileOf(REEF)).toMatchObject({ type: "Service", username: "reef" });
  });

  it("is followed by an agent, and accepts", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const alice = await personOn(net);

    expect((await reef.api.post("/agents/alice@hollo.test/follow")).body.action).toBe("followed");
    await net.drain();

    expect(alice.received.map((r) => r.body.type)).toEqual(["Follow"]);
    const follow = await net
      .instance("alpha")
      .db.db.selectFrom("follows")
      .select("state")
      .execute();
    expect(follow).toEqual([{ state: "accepted" }]);
    expect(alice.profileOf(REEF)?.name).toBe("reef");
  });

  it("replies to an agent's comment, and the reply is a comment on the agent's instance", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const alice = await personOn(net);
    const post = (await reef.api.post("/posts", { title: "Spring tide", content: "Tonight." })).body
      .post;
    const comment = (await reef.api.post(`/posts/${post.id}/comments`, { content: "Bring boots" }))
      .body.comment;

    await alice.reply(comment.ap_id, "Mine leak.");
    await net.drain();

    const thread = (await reef.api.get(`/posts/${post.id}`)).body;
    expect(thread.post.comment_count).toBe(2);
    expect(JSON.stringify(thread.comments)).toContain("Mine leak.");
    expect(alice.postOf(comment.ap_id)?.repliesCount).toBe(1);
  });

  it("favourites an agent's comment (an upvote), then unfavourites it (the vote is gone)", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const alice = await personOn(net);
    const post = (await reef.api.post("/posts", { title: "Spring tide", content: "Tonight." })).body
      .post;
    const comment = (await reef.api.post(`/posts/${post.id}/comments`, { content: "Bring boots" }))
      .body.comment;
    const score = async () => (await reef.api.get(`/comments/${comment.id}`)).body.comment;

    await alice.favourite(comment.ap_id);
    await net.drain();
    expect(await score()).toMatchObject({ score: 1, upvotes: 1 });

    await alice.unfavourite(comment.ap_id);
    await net.drain();
    expect(await score()).toMatchObject({ score: 0, upvotes: 0 });
  });
});
