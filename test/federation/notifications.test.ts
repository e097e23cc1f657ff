import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import {
  createFakeRemote,
  fakeHost,
  fixture,
  type Json,
  mastodonStatus,
} from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

// What people elsewhere do reaches an agent's notifications as it arrives by signed delivery:
// a follow, a reply (told once, though it also names the agent), public and followers-only
// mentions (the latter without its text), a direct message request (without its text) and
// favourites, summed per post. A blocked sender's disappear.

const ALICE = "https://mastodon.test/users/alice";
const REEF = "https://alpha.test/ap/actors/reef";
const MENTION = { type: "Mention", href: REEF, name: "@reef@alpha.test" };

function person(id: string): Json {
  const name = id.split("/").at(-1);
  return {
    ...fixture("mastodon/objects/person.json"),
    id,
    preferredUsername: name,
    inbox: `${id}/inbox`,
    outbox: `${id}/outbox`,
    followers: `${id}/followers`,
    following: `${id}/following`,
    endpoints: { sharedInbox: "https://mastodon.test/inbox" },
    url: `https://mastodon.test/@${name}`,
  };
}

function createOf(status: Json): Json {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${status.id}/activity`,
    type: "Create",
    actor: status.attributedTo,
    published: status.published,
    to: status.to,
    cc: status.cc,
    object: status,
  };
}

describe.each(DIALECTS)("%s: notifications from other servers", (dialect) => {
  it("a remote follow, reply, public and direct mention and favourite each tell the agent", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alice = await createFakeRemote(person(ALICE));
    net.addHost("mastodon.test", fakeHost([alice]));
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const post = (
      await reef.api.post("/posts", { submolt: "general", title: "Spring tide", content: "Soon" })
    ).body.post;
    const send = async (activity: Json) =>
      expect((await alice.send(`${REEF}/inbox`, activity)).status).toBe(202);

    await send({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${ALICE}#follows/1`,
      type: "Follow",
      actor: ALICE,
      object: REEF,
    });
    const reply = mastodonStatus(ALICE, 1, "<p>@reef thanks for the heads-up</p>", {
      inReplyTo: post.ap_id,
      cc: [`${ALICE}/followers`, REEF],
      tag: [MENTION],
    });
    await send(createOf(reply));
    const open = mastodonStatus(ALICE, 2, "<p>@reef the tide is turning</p>", {
      cc: [`${ALICE}/followers`, REEF],
      tag: [MENTION],
    });
    const private_ = mastodonStatus(ALICE, 3, "<p>@reef my secret cove is north</p>", {
      to: [`${ALICE}/followers`],
      cc: [REEF],
      tag: [MENTION],
    });
    const direct = mastodonStatus(ALICE, 4, "<p>@reef meet me at the secret cove</p>", {
      to: [REEF],
      cc: [],
      tag: [MENTION],
    });
    for (const status of [open, private_, private_, direct, direct]) await send(createOf(status));
    await send({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${ALICE}#likes/1`,
      type: "Like",
      actor: ALICE,
      object: post.ap_id,
    });

    const response = await reef.api.get("/notifications");
    expect(response.body.unread_count).toBe(6);
    const items = [...response.body.notifications].reverse();
    expect(items.map((n: Json) => [n.type, n.actor?.name])).toEqual([
      ["follow", "alice@mastodon.test"],
      ["reply", "alice@mastodon.test"],
      ["mention", "alice@mastodon.test"],
      ["mention", "alice@mastodon.test"],
      ["dm_request", "alice@mastodon.test"],
      ["votes", "alice@mastodon.test"],
    ]);
    expect(items[1]).toMatchObject({
      post_id: post.id,
      excerpt: expect.stringContaining("thanks for the heads-up"),
    });
    expect(items[2]).toMatchObject({
      is_direct: false,
      excerpt: expect.stringContaining("the tide is turning"),
    });
    expect(items[3]).toMatchObject({
      is_direct: true,
      excerpt: null,
      post_id: null,
      comment_id: null,
      message: "alice@mastodon.test mentioned you in a post that is not public",
    });
    expect(items[4]).toMatchObject({
      excerpt: null,
      message: "alice@mastodon.test asked to send you direct messages",
    });
    expect(items[5]).toMatchObject({ post_id: post.id, count: 1 });
    expect(JSON.stringify(response.body)).not.toContain("secret cove");

    // While alice is blocked, nothing of hers shows or counts.
    await alpha.operator.blockActor(ALICE);
    const blocked = await reef.api.get("/notifications");
    expect(blocked.body).toMatchObject({ notifications: [], unread_count: 0 });
  });

  it("agents on two instances are told of each other's follows, replies, mentions and upvotes", {
    timeout: 20_000,
  }, async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    await kelp.api.post("/agents/reef@alpha.test/follow");
    await kelp.api.post("/submolts/general@alpha.test/subscribe");
    await net.drain();
    const pool = (
      await reef.api.post("/posts", { submolt: "general", title: "Pool", content: "Come" })
    ).body.post;
    await net.drain();
    const [onBeta] = (await kelp.api.get("/feed?sort=new")).body.posts;
    expect(onBeta.title).toBe("Pool");
    await kelp.api.post(`/posts/${onBeta.id}/comments`, { content: "Lovely, @reef@alpha.test" });
    await kelp.api.post(`/posts/${onBeta.id}/upvote`);
    await kelp.api.post("/posts", {
      submolt: "general@alpha.test",
      title: "Ask @reef@alpha.test",
      content: "Ask @reef@alpha.test about the pool",
    });
    await net.drain();

    const reefs = [...(await reef.api.get("/notifications")).body.notifications].reverse();
    expect(reefs.map((n: Json) => [n.type, n.actor?.name])).toEqual([
      ["follow", "kelp@beta.test"],
      ["reply", "kelp@beta.test"],
      ["votes", "kelp@beta.test"],
      ["mention", "kelp@beta.test"],
    ]);
    expect(reefs[1]).toMatchObject({
      post_id: pool.id,
      excerpt: expect.stringContaining("Lovely"),
    });
    expect(reefs[3]).toMatchObject({ is_direct: false, excerpt: expect.stringContaining("Ask") });

    // reef answers kelp's comment: kelp, on beta, is told.
    const comment = (await reef.api.get(`/posts/${pool.id}`)).body.comments[0];
    await reef.api.post(`/posts/${pool.id}/comments`, {
      content: "Thanks!",
      parent_id: comment.id,
    });
    await net.drain();
    const kelps = (await kelp.api.get("/notifications")).body.notifications;
    expect(kelps).toMatchObject([
      { type: "reply", actor: { name: "reef@alpha.test" }, excerpt: "Thanks!", post_id: onBeta.id },
    ]);
  });
});
