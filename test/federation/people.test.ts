import { describe, expect, it } from "vitest";
import { type RegisteredAgent, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { dumpDatabase } from "../harness/dump.ts";
import {
  createFakeRemote,
  type FakeRemote,
  fakeHost,
  fixture,
  type Json,
  mastodonStatus,
} from "../harness/fake-remote.ts";
import { logRecords } from "../harness/logs.ts";
import { createNetwork, type Network } from "../harness/network.ts";

// People on Mastodon-style servers, followed by agents: their own posts (statuses, outside any
// submolt) and their boosts reach the following agent's personal feed, mentions are kept for
// notifications, and what agents do to those posts reaches the person.

const ALICE = "https://mastodon.test/users/alice";
const BOB = "https://mastodon.test/users/bob";
const REEF = "https://alpha.test/ap/actors/reef";
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

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

/** alice and bob on mastodon.test (with WebFinger for alice), and the agent reef on alpha. */
async function setUp(net: Network): Promise<{
  alice: FakeRemote;
  bob: FakeRemote;
  reef: RegisteredAgent;
}> {
  const alice = await createFakeRemote(person(ALICE));
  const bob = await createFakeRemote(person(BOB));
  net.addHost("mastodon.test", fakeHost([alice, bob]));
  alice.publish(
    {
      subject: "acct:alice@mastodon.test",
      links: [{ rel: "self", type: "application/activity+json", href: ALICE }],
    },
    "https://mastodon.test/.well-known/webfinger",
  );
  return { alice, bob, reef: await registerAgent(net.instance("alpha"), "reef") };
}

/** reef follows alice, who accepts. */
async function reefFollowsAlice(net: Network, alice: FakeRemote, reef: RegisteredAgent) {
  expect((await reef.api.post("/agents/alice@mastodon.test/follow")).body.action).toBe("followed");
  await net.drain();
  const follow = alice.received.find((r) => r.body.type === "Follow")?.body;
  expect(follow).toMatchObject({ actor: REEF, object: ALICE });
  const accept = {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${ALICE}#accepts/follows/1`,
    type: "Accept",
    actor: ALICE,
    object: follow,
  };
  expect((await alice.send(`${REEF}/inbox`, accept)).status).toBe(202);
}

/** A Create of `status` by its author, as Mastodon sends it. */
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

function announceOf(actor: string, n: number, object: string): Json {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actor}/statuses/${n}/activity`,
    type: "Announce",
    actor,
    published: "2026-06-01T00:00:00Z",
    to: [PUBLIC],
    cc: [`${actor}/followers`],
    object,
  };
}

function undoOf(activity: Json, n: number): Json {
  const { "@context": _context, ...object } = activity;
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${activity.actor}#undo/${n}`,
    type: "Undo",
    actor: activity.actor,
    to: [PUBLIC],
    object,
  };
}

describe.each(DIALECTS)("%s: people followed from Mastodon-style servers", (dialect) => {
  it("a followed person's status and boosts land in the follower's feed, never in the global one", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const { alice, bob, reef } = await setUp(net);
    await reefFollowsAlice(net, alice, reef);

    const status = mastodonStatus(ALICE, 1, "<p>Low tide at dawn</p><p>Bring boots.</p>");
    expect((await alice.send(`${REEF}/inbox`, createOf(status))).status).toBe(202);
    const feed = (await reef.api.get("/feed?sort=new")).body.posts;
    expect(feed).toHaveLength(1);
    expect(feed[0]).toMatchObject({
      title: "Low tide at dawn",
      content: expect.stringContaining("Bring boots."),
      author_name: "alice@mastodon.test",
      submolt: null,
      submolt_name: null,
      is_local: false,
      ap_id: status.id,
      boost_count: 0,
    });
    expect(feed[0]).not.toHaveProperty("boosted_by");
    // An edit (Update) by its author is honoured.
    const edited = {
      ...status,
      content: "<p>Low tide at six</p>",
      updated: "2026-06-01T01:00:00Z",
    };
    const update = { ...createOf(edited), id: `${status.id}#updates/1`, type: "Update" };
    expect((await alice.send(`${REEF}/inbox`, update)).status).toBe(202);
    expect((await reef.api.get("/feed")).body.posts[0].title).toBe("Low tide at six");
    // By id, too; but not in the shared listings.
    expect((await reef.api.get(`/posts/${feed[0].id}`)).body.post.author_name).toBe(
      "alice@mastodon.test",
    );
    expect((await reef.api.get("/posts?sort=new")).body.posts).toEqual([]);

    // alice boosts bob's status (bob is followed by no one here): fetched from bob's server.
    const bobs = mastodonStatus(BOB, 7, "<p>Seals on the sandbar</p>");
    bob.publish(bobs);
    const boost = announceOf(ALICE, 2, bobs.id);
    expect((await alice.send(`${REEF}/inbox`, boost)).status).toBe(202);
    const boosted = (await reef.api.get("/feed?sort=new")).body.posts;
    expect(boosted.map((p: Json) => [p.title, p.author_name, p.boosted_by])).toEqual([
      ["Seals on the sandbar", "bob@mastodon.test", "alice@mastodon.test"],
      ["Low tide at six", "alice@mastodon.test", undefined],
    ]);
    expect(boosted[0]).toMatchObject({ boost_count: 1, submolt: null });
    // Sent twice (deliveries come at least once): one boost.
    await alice.send(`${REEF}/inbox`, boost);
    expect((await reef.api.get(`/posts/${boosted[0].id}`)).body.post.boost_count).toBe(1);
    expect((await reef.api.get("/posts?sort=new")).body.posts).toEqual([]);

    // Undo(Announce): the boost is gone from the feed.
    expect((await alice.send(`${REEF}/inbox`, undoOf(boost, 1))).status).toBe(202);
    const after = (await reef.api.get("/feed?sort=new")).body.posts;
    expect(after.map((p: Json) => p.title)).toEqual(["Low tide at six"]);
    expect((await reef.api.get(`/posts/${boosted[0].id}`)).body.post.boost_count).toBe(0);
  });

  it("an agent's comment and vote on a person's status reach that person", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const { alice, reef } = await setUp(net);
    await reefFollowsAlice(net, alice, reef);
    const status = mastodonStatus(ALICE, 1, "<p>Who saw the eclipse?</p>");
    await alice.send(`${REEF}/inbox`, createOf(status));
    const [post] = (await reef.api.get("/feed")).body.posts;

    const comment = await reef.api.post(`/posts/${post.id}/comments`, { content: "I did!" });
    expect(comment.status).toBe(201);
    expect((await reef.api.post(`/posts/${post.id}/upvote`)).status).toBe(200);
    await net.drain();
    const create = alice.received.find((r) => r.body.type === "Create")?.body;
    expect(create).toMatchObject({
      actor: REEF,
      object: { type: "Note", inReplyTo: status.id, attributedTo: REEF },
    });
    expect([create.object.cc].flat()).toContain(ALICE);
    expect([create.object.tag].flat()).toContainEqual(
      expect.objectContaining({ type: "Mention", href: ALICE }),
    );
    const like = alice.received.find((r) => r.body.type === "Like");
    expect(like?.inbox).toBe(`${ALICE}/inbox`);
    expect(like?.body).toMatchObject({ actor: REEF, object: status.id });
    // What the reply names dereferences, as Mastodon checks.
    const note = await net
      .instance("alpha")
      .fetch(new Request(create.object.id, { headers: { accept: "application/activity+json" } }));
    expect(note.status).toBe(200);
  });

  it("keeps mentions of an agent (a followers-only one without its text), takes a direct one as a direct message, and shows none publicly", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const { alice, reef } = await setUp(net);
    const alpha = net.instance("alpha");
    const mention = { type: "Mention", href: REEF, name: "@reef@alpha.test" };
    const open = mastodonStatus(ALICE, 1, "<p>@reef the tide is turning</p>", {
      cc: [`${ALICE}/followers`, REEF],
      tag: [mention],
    });
    const private_ = mastodonStatus(ALICE, 2, "<p>@reef only for my followers</p>", {
      to: [`${ALICE}/followers`],
      cc: [REEF],
      tag: [mention],
    });
    const direct = mastodonStatus(ALICE, 3, "<p>@reef my secret cove is north</p>", {
      to: [REEF],
      cc: [],
      tag: [mention],
    });
    for (const status of [open, private_, direct, open]) {
      expect((await alice.send(`${REEF}/inbox`, createOf(status))).status).toBe(202);
    }
    const mentions = await alpha.db.db
      .selectFrom("mentions")
      .select(["object_ap_id", "agent_id", "is_public", "content"])
      .orderBy("object_ap_id")
      .execute();
    expect(mentions).toEqual([
      {
        object_ap_id: open.id,
        agent_id: reef.id,
        is_public: 1,
        content: expect.stringContaining("the tide is turning"),
      },
      { object_ap_id: private_.id, agent_id: reef.id, is_public: 0, content: null },
    ]);
    expect((await reef.api.get("/agents/dm/requests")).body.requests.items).toMatchObject([
      { from: { name: "alice@mastodon.test" }, message: "my secret cove is north" },
    ]);
    const dump = await dumpDatabase(alpha);
    expect(dump).not.toContain("secret cove");
    expect(dump).not.toContain("only for my followers");
    expect((await reef.api.get("/posts?sort=new")).body.posts).toEqual([]);
  });

  it("a person's reply, favourite, unfavourite, boost and unboost of an agent's post are counted", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const { alice, reef } = await setUp(net);
    const post = (await reef.api.post("/posts", { title: "Spring tide", content: "Tonight." })).body
      .post;
    const read = async () => (await reef.api.get(`/posts/${post.id}`)).body.post;

    const reply = mastodonStatus(ALICE, 3, "<p>Thanks for the heads-up</p>", {
      inReplyTo: post.ap_id,
      cc: [`${ALICE}/followers`, REEF],
      tag: [{ type: "Mention", href: REEF, name: "@reef@alpha.test" }],
    });
    expect((await alice.send(`${REEF}/inbox`, createOf(reply))).status).toBe(202);
    expect((await read()).comment_count).toBe(1);

    // Mastodon's Like ids are fragments of the actor, which nothing dereferences.
    const like = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${ALICE}#likes/123`,
      type: "Like",
      actor: ALICE,
      object: post.ap_id,
    };
    expect((await alice.send(`${REEF}/inbox`, like)).status).toBe(202);
    expect(await read()).toMatchObject({ score: 1, upvotes: 1 });
    expect((await alice.send(`${REEF}/inbox`, undoOf(like, 1))).status).toBe(202);
    expect(await read()).toMatchObject({ score: 0, upvotes: 0 });

    const boost = announceOf(ALICE, 4, post.ap_id);
    expect((await alice.send("https://alpha.test/inbox", boost)).status).toBe(202);
    expect((await read()).boost_count).toBe(1);
    expect((await alice.send("https://alpha.test/inbox", undoOf(boost, 2))).status).toBe(202);
    expect((await read()).boost_count).toBe(0);
  });

  it("drops, with a reason, a status by someone no agent follows and a followed person's followers-only one", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const { alice, bob, reef } = await setUp(net);
    await reefFollowsAlice(net, alice, reef);
    await bob.send(`${REEF}/inbox`, createOf(mastodonStatus(BOB, 1, "<p>Unfollowed</p>")));
    const privateOne = mastodonStatus(ALICE, 5, "<p>Only for followers</p>", {
      to: [`${ALICE}/followers`],
      cc: [],
    });
    await alice.send(`${REEF}/inbox`, createOf(privateOne));
    const reply = mastodonStatus(ALICE, 6, "<p>Agreed</p>", {
      inReplyTo: "https://elsewhere.test/notes/1",
    });
    await alice.send(`${REEF}/inbox`, createOf(reply));
    expect((await reef.api.get("/feed")).body.posts).toEqual([]);
    expect(await net.instance("alpha").db.db.selectFrom("posts").select("id").execute()).toEqual(
      [],
    );
    const reasons = logRecords()
      .filter((r) => r.properties.type === "Create")
      .map((r) => [r.properties.actor, r.properties.reason]);
    expect(reasons).toEqual([
      [BOB, "a post outside submolts by someone no local agent follows"],
      [ALICE, "not public (followers-only or direct): posts here are readable by anyone"],
      [ALICE, "it replies to something that could not be found"],
    ]);
  });
});
