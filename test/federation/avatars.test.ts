import { describe, expect, it } from "vitest";
import { apiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture } from "../harness/fake-remote.ts";
import type { TestInstance } from "../harness/instance.ts";
import { createMastodonLike } from "../harness/mastodon-like.ts";
import { createNetwork, type Network } from "../harness/network.ts";
import { mastodon } from "../harness/peer-shapes.ts";
import { picture, upload } from "../harness/uploads.ts";

// Avatars and banners on the wire: an agent's avatar is its Service's icon, a submolt's avatar
// and banner its Group's icon and image. A change reaches followers as an Update, and another
// instance then shows the picture by its URL on the instance that keeps it.

const REEF = "https://alpha.test/ap/actors/reef";
const TIDES = "https://alpha.test/ap/actors/tides";

// biome-ignore lint/suspicious/noExplicitAny: activities are checked field by field.
function updatesOf(net: Network, object: string, since: number): any[] {
  return net.traffic
    .slice(since)
    .filter((r) => r.method === "POST" && r.type === "Update" && r.object === object)
    .map((r) => r.body);
}

// biome-ignore lint/suspicious/noExplicitAny: documents are checked field by field.
async function actorDocument(instance: TestInstance, id: string): Promise<any> {
  const response = await instance.fetch(
    new Request(id, { headers: { accept: "application/activity+json" } }),
  );
  expect(response.status).toBe(200);
  return response.json();
}

describe.each(DIALECTS)("%s: avatars and banners across instances", (dialect) => {
  it("sends an agent's new avatar to its followers as the Service's icon, and the peer shows it", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const beta = net.instance("beta");
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(beta, "kelp");
    expect((await kelp.api.post("/agents/reef@alpha.test/follow")).status).toBe(200);
    await net.drain();

    let mark = net.traffic.length;
    const uploaded = await upload(alpha, reef.apiKey, "/agents/me/avatar", await picture("png"));
    const url: string = uploaded.body.avatar_url;
    await net.drain();
    const [update, ...more] = updatesOf(net, REEF, mark);
    expect(more).toEqual([]);
    expect(update.object).toMatchObject({
      type: "Service",
      id: REEF,
      icon: { type: "Image", url, mediaType: "image/webp" },
    });
    expect(mastodon.Update.safeParse(update).error).toBeUndefined();
    expect((await actorDocument(alpha, REEF)).icon).toMatchObject({ type: "Image", url });
    const seen = await apiClient(beta).get("/agents/profile?name=reef@alpha.test");
    expect(seen.body.agent.avatar_url).toBe(url);
    // The peer links the picture where alpha keeps it, and alpha serves it to anyone.
    expect((await alpha.fetch(new Request(url))).status).toBe(200);

    mark = net.traffic.length;
    await reef.api.delete("/agents/me/avatar");
    await net.drain();
    const [removal] = updatesOf(net, REEF, mark);
    expect(removal.object.icon).toBeUndefined();
    const after = await apiClient(beta).get("/agents/profile?name=reef@alpha.test");
    expect(after.body.agent.avatar_url).toBeNull();
  });

  it("shows a person on a Mastodon-like server the agent's new avatar", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const alice = await createMastodonLike("hollo.test");
    net.addHost(alice.host, (request) => alice.fetch(request));
    await alice.follow("reef@alpha.test");
    await net.drain();
    expect(alice.profileOf(REEF)?.avatar).toBeUndefined();

    const uploaded = await upload(alpha, reef.apiKey, "/agents/me/avatar", await picture("gif"));
    await net.drain();
    expect(alice.dropped).toEqual([]);
    expect(alice.profileOf(REEF)?.avatar).toBe(uploaded.body.avatar_url);
  });

  it("sends a submolt's avatar and banner to its followers as the Group's icon and image", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const beta = net.instance("beta");
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(beta, "kelp");
    await reef.api.post("/submolts", { name: "tides", display_name: "Tides" });
    expect((await kelp.api.post("/submolts/tides@alpha.test/subscribe")).status).toBe(200);
    await net.drain();

    const mark = net.traffic.length;
    const avatar = await upload(alpha, reef.apiKey, "/submolts/tides/avatar", await picture("png"));
    const banner = await upload(
      alpha,
      reef.apiKey,
      "/submolts/tides/settings",
      await picture("jpeg", { width: 1500, height: 500 }),
      { fields: { type: "banner" } },
    );
    await net.drain();
    // Both changes go out as one Update holding the latest Group.
    const [update, ...more] = updatesOf(net, TIDES, mark);
    expect(more).toEqual([]);
    expect(update.object).toMatchObject({
      type: "Group",
      id: TIDES,
      icon: { type: "Image", url: avatar.body.avatar_url, mediaType: "image/webp" },
      image: { type: "Image", url: banner.body.banner_url, mediaType: "image/webp" },
    });
    expect(mastodon.Update.safeParse(update).error).toBeUndefined();
    const seen = await apiClient(beta).get("/submolts/tides@alpha.test");
    expect(seen.body.submolt).toMatchObject({
      avatar_url: avatar.body.avatar_url,
      banner_url: banner.body.banner_url,
    });
  });

  it("keeps a remote group's icon and image and a person's icon as their URLs, and only web URLs", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const lemmy = fixture("lemmy/objects/group.json");
    const community = await createFakeRemote(lemmy);
    net.addHost(community.host, community.fetch);
    const group = await apiClient(alpha).get(`/submolts/${encodeURIComponent(lemmy.id)}`);
    expect(group.body.submolt).toMatchObject({
      avatar_url: lemmy.icon.url,
      banner_url: lemmy.image.url,
    });

    const person = fixture("mastodon/objects/person.json");
    const scripted = await createFakeRemote({
      ...person,
      icon: { type: "Image", url: "javascript:alert(document.cookie)" },
    });
    net.addHost(scripted.host, scripted.fetch);
    const agent = await apiClient(alpha).get(`/agents/${encodeURIComponent(person.id)}`);
    expect(agent.status).toBe(200);
    expect(agent.body.agent.avatar_url).toBeNull();
  });
});
