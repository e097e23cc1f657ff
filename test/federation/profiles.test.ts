import { describe, expect, it } from "vitest";
import { apiClient, refusal, registerAgent, rowCounts } from "../harness/api.ts";
import { operatorCommand } from "../harness/cli.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, type FakeRemote, fixture, type Json } from "../harness/fake-remote.ts";
import type { TestInstance } from "../harness/instance.ts";
import { logRecords } from "../harness/logs.ts";
import { createNetwork, type Network } from "../harness/network.ts";

// Profiles as the fediverse sees them: a changed profile reaches followers as an Update of the
// actor, metadata shows as profile fields, and collections say how many items they hold.

const REEF = "https://alpha.test/ap/actors/reef";
const PUBLIC = ["as:Public", "Public", "https://www.w3.org/ns/activitystreams#Public"];
const AS2 = { accept: "application/activity+json" };

// biome-ignore lint/suspicious/noExplicitAny: documents are checked field by field.
async function fetchJson(instance: TestInstance, url: string): Promise<any> {
  const response = await instance.fetch(new Request(url, { headers: AS2 }));
  expect(response.status, url).toBe(200);
  return response.json();
}

/** The Mastodon user of the fixtures, played on its host, following `followee` on alpha. */
async function mastodonFollowing(net: Network, followee: string): Promise<FakeRemote> {
  const mastodon = await createFakeRemote(fixture("mastodon/objects/person.json"));
  net.addHost(mastodon.host, mastodon.fetch);
  const follow: Json = {
    ...fixture("mastodon/activities/follow.json"),
    id: `${new URL(mastodon.actorId).origin}/${crypto.randomUUID()}`,
    actor: mastodon.actorId,
    object: followee,
  };
  expect((await mastodon.send(`${followee}/inbox`, follow)).status).toBe(202);
  await net.drain();
  return mastodon;
}

const updatesIn = (remote: FakeRemote) => remote.received.filter((r) => r.body.type === "Update");

describe.each(DIALECTS)("%s: profiles", (dialect) => {
  it("a profile change reaches a Mastodon follower as an Update of the Service, with its fields", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const mastodon = await mastodonFollowing(net, REEF);
    const person = fixture("mastodon/objects/person.json");

    const patched = await reef.api.patch("/agents/me", {
      display_name: "Reef Watcher",
      description: "I watch the tides.",
      metadata: { website: "https://reef.example/about", model: "tide-7", api_token: "t0k3n" },
    });
    expect(patched.status).toBe(200);
    await net.drain();

    const [update, ...more] = updatesIn(mastodon);
    expect(more).toEqual([]);
    expect(update?.inbox).toBe(person.endpoints.sharedInbox);
    expect(update?.body.actor).toBe(REEF);
    expect(update?.body.id).toMatch(new RegExp(`^${REEF}/updates/[0-9a-f-]+$`));
    expect([update?.body.to].flat().some((t: string) => PUBLIC.includes(t))).toBe(true);
    expect(update?.body.object).toMatchObject({
      type: "Service",
      id: REEF,
      preferredUsername: "reef",
      name: "Reef Watcher",
      summary: "<p>I watch the tides.</p>",
      inbox: `${REEF}/inbox`,
      publicKey: { id: `${REEF}#main-key`, owner: REEF },
    });
    expect(update?.body.object.attachment).toEqual([
      {
        type: "PropertyValue",
        name: "website",
        value:
          '<a href="https://reef.example/about" rel="me nofollow noopener noreferrer" target="_blank">https://reef.example/about</a>',
      },
      { type: "PropertyValue", name: "model", value: "tide-7" },
    ]);

    // Rapid changes go out as one Update holding the latest profile; a PATCH that changes
    // nothing sends nothing.
    await reef.api.patch("/agents/me", { display_name: "Reef 2" });
    await reef.api.patch("/agents/me", { display_name: "Reef 3" });
    await reef.api.patch("/agents/me", {
      display_name: "Reef 3",
      description: "I watch the tides.",
    });
    await net.drain();
    expect(updatesIn(mastodon).map((u) => u.body.object.name)).toEqual(["Reef Watcher", "Reef 3"]);
  });

  it("another Moltiverse instance shows the new name and description of a remote agent and submolt", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const beta = net.instance("beta");
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(beta, "kelp");
    await reef.api.post("/submolts", { name: "tides", display_name: "Tides" });
    expect((await kelp.api.post("/agents/reef@alpha.test/follow")).status).toBe(200);
    expect((await kelp.api.post("/submolts/tides@alpha.test/subscribe")).status).toBe(200);
    await net.drain();

    await reef.api.patch("/agents/me", { display_name: "Reef Watcher", description: "New bio" });
    await reef.api.patch("/submolts/tides/settings", {
      display_name: "Tide Pools",
      description: "Rock pools at low tide",
    });
    const mark = net.traffic.length;
    await net.drain();
    const sent = net.traffic.slice(mark).filter((r) => r.method === "POST");
    expect(sent.map((r) => [r.type, r.object, r.status]).sort()).toEqual([
      ["Update", REEF, 202],
      ["Update", "https://alpha.test/ap/actors/tides", 202],
    ]);

    const agent = await apiClient(beta).get("/agents/profile?name=reef@alpha.test");
    expect(agent.body.agent).toMatchObject({
      display_name: "Reef Watcher",
      description: "New bio",
      is_local: false,
    });
    const submolt = await apiClient(beta).get("/submolts/tides@alpha.test");
    expect(submolt.body.submolt).toMatchObject({
      display_name: "Tide Pools",
      description: "Rock pools at low tide",
    });
  });

  it("refreshes a remote person from its Update, and only from the person itself", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    await registerAgent(alpha, "reef");
    const mastodon = await mastodonFollowing(net, REEF);
    const other = await createFakeRemote({
      ...fixture("mastodon/objects/person.json"),
      id: `${new URL(mastodon.actorId).origin}/users/other`,
      preferredUsername: "other",
    });
    const person = fixture("mastodon/objects/person.json");
    const update = (actor: FakeRemote, object: Json): Json => ({
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
      id: `${actor.actorId}#updates/${crypto.randomUUID()}`,
      type: "Update",
      actor: actor.actorId,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      object,
    });
    const renamed = {
      ...person,
      publicKey: undefined,
      name: "Mastodon Renamed",
      summary: "<p>A new <b>bio</b></p>",
      icon: { type: "Image", url: "https://masto.qa.urbanwildlife.biz/avatars/new.png" },
    };
    const profile = async () =>
      (await apiClient(alpha).get(`/agents/profile?name=${encodeURIComponent(person.id)}`)).body
        .agent;

    // Someone else on the same server cannot rename the person.
    net.addHost(mastodon.host, (request) =>
      new URL(request.url).pathname.startsWith("/users/other")
        ? other.fetch(request)
        : mastodon.fetch(request),
    );
    expect((await other.send("https://alpha.test/inbox", update(other, renamed))).status).toBe(202);
    expect((await profile()).display_name).toBe("Mastodon");
    const verdicts = logRecords()
      .filter((r) => r.properties.type === "Update")
      .map((r) => r.properties.reason);
    expect(verdicts).toEqual(["an actor may update only itself"]);

    expect(
      (await mastodon.send("https://alpha.test/inbox", update(mastodon, renamed))).status,
    ).toBe(202);
    expect(await profile()).toMatchObject({
      display_name: "Mastodon Renamed",
      description: "A new bio",
      avatar_url: "https://masto.qa.urbanwildlife.biz/avatars/new.png",
    });
  });

  it("serves metadata as profile fields: string entries only, private keys left out, values escaped", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const metadata = {
      homepage: "Docs at https://reef.example/docs. <b>Bold</b> & more",
      model: "  tide-7  ",
      password_hint: "sea",
      _internal: "kept for me",
      version: 3,
      tags: ["a", "b"],
      empty: "",
      [`long_${"k".repeat(80)}`]: "v".repeat(400),
    };
    expect((await reef.api.patch("/agents/me", { metadata })).status).toBe(200);
    const actor = await fetchJson(net.instance("alpha"), REEF);
    expect(actor.attachment).toEqual([
      {
        type: "PropertyValue",
        name: "homepage",
        value:
          'Docs at <a href="https://reef.example/docs" rel="me nofollow noopener noreferrer" target="_blank">https://reef.example/docs</a>. &lt;b&gt;Bold&lt;/b&gt; &amp; more',
      },
      { type: "PropertyValue", name: "model", value: "tide-7" },
      { type: "PropertyValue", name: `long_${"k".repeat(59)}`, value: "v".repeat(300) },
    ]);
    // The API still returns the metadata as stored.
    expect((await reef.api.get("/agents/me")).body.agent.metadata).toEqual(metadata);
  });

  it("refuses bad metadata with the API's JSON error, changing and sending nothing", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const mastodon = await mastodonFollowing(net, REEF);
    const before = await rowCounts(alpha);
    const refusals = [
      refusal(await reef.api.patch("/agents/me", { metadata: "website" })),
      refusal(await reef.api.patch("/agents/me", { metadata: ["a"] })),
      refusal(await reef.api.patch("/agents/me", { metadata: { blob: "x".repeat(10_001) } })),
      refusal(
        await reef.api.patch("/agents/me", {
          display_name: "Changed",
          metadata: { key: `moltbook_sk_${"a".repeat(32)}` },
        }),
      ),
    ];
    expect(refusals).toEqual([
      [400, "VALIDATION_ERROR", "Metadata must be a JSON object"],
      [400, "VALIDATION_ERROR", "Metadata must be a JSON object"],
      [400, "VALIDATION_ERROR", "Metadata must be 10000 bytes or less"],
      [422, "CREDENTIAL_DETECTED", expect.stringContaining("metadata")],
    ]);
    expect(await rowCounts(alpha)).toEqual(before);
    expect((await reef.api.get("/agents/me")).body.agent).toMatchObject({
      display_name: null,
      metadata: null,
    });
    await net.drain();
    expect(updatesIn(mastodon)).toEqual([]);

    // The next good change goes out alone, with nothing of the refused ones.
    await reef.api.patch("/agents/me", { metadata: { model: "tide-7" } });
    await net.drain();
    const updates = updatesIn(mastodon).map((u) => u.body.object);
    expect(updates.map((o) => [o.name, o.attachment])).toEqual([
      ["reef", [{ type: "PropertyValue", name: "model", value: "tide-7" }]],
    ]);
  });

  it("collections say how many items they hold: outbox posts, followers and following", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(alpha, "kelp");
    await reef.api.post("/submolts", { name: "tides" });
    const posts = [];
    for (const title of ["One", "Two", "Three"]) {
      posts.push((await reef.api.post("/posts", { submolt: "tides", title, content: "x" })).body);
    }
    expect((await reef.api.delete(`/posts/${posts[2].post.id}`)).status).toBe(200);
    await reef.api.post(`/posts/${posts[0].post.id}/comments`, { content: "A comment" });
    await kelp.api.post("/posts", { submolt: "tides", title: "Kelp's", content: "y" });

    const outbox = await fetchJson(alpha, `${REEF}/outbox`);
    expect(outbox).toMatchObject({ type: "OrderedCollection", totalItems: 2 });
    expect(outbox.orderedItems).toHaveLength(2);
    const groupOutbox = await fetchJson(alpha, "https://alpha.test/ap/actors/tides/outbox");
    expect(groupOutbox).toMatchObject({ type: "OrderedCollection", totalItems: 3 });
    // Unpaged, items inline: Lemmy backfills a group from it.
    expect(groupOutbox.orderedItems).toHaveLength(3);
    expect(groupOutbox).not.toHaveProperty("first");

    // Followers: kelp and a Mastodon user, who is then blocked (and so no longer listed).
    await kelp.api.post("/agents/reef/follow");
    const mastodon = await mastodonFollowing(net, REEF);
    await operatorCommand(alpha, "block-actor", mastodon.actorId);
    const followers = await fetchJson(alpha, `${REEF}/followers`);
    expect(followers.orderedItems).toEqual(["https://alpha.test/ap/actors/kelp"]);
    expect(followers.totalItems).toBe(1);

    // Following: kelp (accepted) and a Lemmy user who has not answered yet (pending).
    const lemmy = await createFakeRemote(fixture("lemmy/objects/person.json"));
    net.addHost(lemmy.host, lemmy.fetch);
    await reef.api.post("/agents/kelp/follow");
    const pending = await reef.api.post(`/agents/${encodeURIComponent(lemmy.actorId)}/follow`);
    expect(pending.body.action).toBe("followed");
    expect((await reef.api.get("/agents/me")).body.agent.following_count).toBe(2);
    const following = await fetchJson(alpha, `${REEF}/following`);
    expect(following.orderedItems).toEqual(["https://alpha.test/ap/actors/kelp"]);
    expect(following.totalItems).toBe(1);
  });
});
