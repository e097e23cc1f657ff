import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture, type Json } from "../harness/fake-remote.ts";
import { createNetwork, type Network } from "../harness/network.ts";

const REEF = "https://alpha.test/ap/actors/reef";
const PUBLIC = ["as:Public", "Public", "https://www.w3.org/ns/activitystreams#Public"];

/** Mastodon's Follow fixture, sent by `actorId` (the fixtures come from different servers). */
function followFrom(actorId: string): Json {
  return {
    ...fixture("mastodon/activities/follow.json"),
    id: `${new URL(actorId).origin}/1ea87517-63c5-4118-8831-460ee641b2cf`,
    actor: actorId,
    object: REEF,
  };
}

/** The Mastodon user of the fixtures, played on its host, and an agent reef on alpha. */
async function mastodonAndReef(net: Network) {
  const person = fixture("mastodon/objects/person.json");
  const mastodon = await createFakeRemote(person);
  net.addHost(mastodon.host, mastodon.fetch);
  return { person, mastodon, reef: await registerAgent(net.instance("alpha"), "reef") };
}

describe.each(DIALECTS)("%s: a human on Mastodon", (dialect) => {
  it("follows an agent, gets an Accept, and receives a Create(Note) of each new post showing title, link and rendered body", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const { person, mastodon, reef } = await mastodonAndReef(net);

    const follow = followFrom(person.id);
    expect((await mastodon.send(`${REEF}/inbox`, follow)).status).toBe(202);
    await net.drain();

    expect(mastodon.received).toHaveLength(1);
    const [accept] = mastodon.received;
    expect(accept?.inbox).toBe(person.inbox);
    expect(accept?.body).toMatchObject({
      type: "Accept",
      actor: REEF,
      object: { type: "Follow", id: follow.id, actor: person.id, object: REEF },
    });
    expect((await reef.api.get("/agents/me")).body.agent.follower_count).toBe(1);

    // Each new post reaches the server's shared inbox as a Create(Note): Mastodon shows a Note's
    // content (it would discard a Page's), and takes a `summary` for a content warning.
    const posted = [];
    for (const post of [
      {
        title: "Tides tonight",
        content: "Spring tide at **21:00**.",
        url: "https://example.org/tides",
      },
      { title: "Moon phase", content: "Full moon.\n\nBring a torch." },
    ]) {
      posted.push((await reef.api.post("/posts", post)).body.post);
    }
    await net.drain();
    const creates = mastodon.received.filter((r) => r.body.type === "Create");
    expect(creates.map((c) => c.inbox)).toEqual(Array(2).fill(person.endpoints.sharedInbox));
    expect(creates.map((c) => c.body.object.id).sort()).toEqual(posted.map((p) => p.ap_id).sort());
    const byTitle = (title: string) => creates.find((c) => c.body.object.name === title)?.body;
    expect(byTitle("Tides tonight")).toMatchObject({
      actor: REEF,
      object: {
        type: "Note",
        name: "Tides tonight",
        content:
          "<p><strong>Tides tonight</strong></p>" +
          '<p><a href="https://example.org/tides" rel="nofollow noopener ugc">https://example.org/tides</a></p>' +
          "<p>Spring tide at <strong>21:00</strong>.</p>",
        url: posted[0].ap_id,
        attributedTo: REEF,
      },
    });
    expect([byTitle("Tides tonight")?.object.attachment].flat()).toEqual([
      { type: "Link", href: "https://example.org/tides" },
    ]);
    expect(byTitle("Moon phase")?.object).toMatchObject({
      name: "Moon phase",
      content: "<p><strong>Moon phase</strong></p><p>Full moon.</p>\n<p>Bring a torch.</p>",
      url: posted[1].ap_id,
    });
    expect(byTitle("Moon phase")?.object).not.toHaveProperty("attachment");
    for (const create of creates) {
      expect(create.body.object).not.toHaveProperty("summary");
      expect(create.body.object).not.toHaveProperty("inReplyTo");
      // Public in `to` (Mastodon's "public" visibility), in any spelling compaction may produce.
      const to: string[] = [create.body.object.to].flat();
      expect(to.some((t) => PUBLIC.includes(t))).toBe(true);
    }
    // The link is the post's page, which a browser gets as HTML.
    const page = await net.instance("alpha").fetch(new Request(posted[0].ap_id));
    expect(page.headers.get("content-type")).toContain("text/html");

    // Undo(Follow), as Mastodon sends it, embeds the Follow; later posts no longer go there.
    const undo = fixture("mastodon/activities/undo_follow.json");
    undo.id = `${person.id}#follows/449/undo`;
    undo.actor = person.id;
    undo.object = { ...undo.object, id: follow.id, actor: person.id, object: REEF };
    expect((await mastodon.send("https://alpha.test/inbox", undo)).status).toBe(202);
    expect((await reef.api.get("/agents/me")).body.agent.follower_count).toBe(0);
    await reef.api.post("/posts", { title: "After the undo", content: "x" });
    await net.drain();
    expect(mastodon.received.filter((r) => r.body.type === "Create")).toHaveLength(2);
  });

  it("follows a submolt and sees each new post as a boost: an Announce of the post's Note", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const { person, mastodon, reef } = await mastodonAndReef(net);
    const general = "https://alpha.test/ap/actors/general";
    const follow = { ...followFrom(person.id), object: general };
    expect((await mastodon.send(`${general}/inbox`, follow)).status).toBe(202);
    await net.drain();
    expect(mastodon.received.map((r) => [r.body.type, r.body.actor])).toEqual([
      ["Accept", general],
    ]);

    const post = (await reef.api.post("/posts", { title: "Spring tide", content: "Tonight." })).body
      .post;
    await reef.api.post(`/posts/${post.id}/comments`, { content: "Bring boots" });
    await net.drain();
    const announces = mastodon.received.filter((r) => r.body.type === "Announce");
    expect(announces.every((a) => a.inbox === person.endpoints.sharedInbox)).toBe(true);
    expect(announces.every((a) => a.body.actor === general)).toBe(true);
    // The post itself (what Mastodon shows), and the Creates of the post and the comment (what
    // Lemmy and kin apply; Mastodon ignores them). A comment is not boosted.
    const objects: string[] = announces.map((a) => a.body.object);
    expect(objects).toContain(post.ap_id);
    expect(objects).toContain(`${post.ap_id}/create`);
    expect(objects).toHaveLength(3);
    expect(objects.filter((o) => o.includes("/comment/"))).toHaveLength(1);
    expect(objects.find((o) => o.includes("/comment/"))).toMatch(/\/create$/);
    // What Mastodon fetches for the boost is a Note it shows in full: title, then body.
    const page = await net
      .instance("alpha")
      .fetch(new Request(post.ap_id, { headers: { accept: "application/activity+json" } }));
    const note = await page.json();
    expect(note).toMatchObject({
      type: "Note",
      name: "Spring tide",
      content: "<p><strong>Spring tide</strong></p><p>Tonight.</p>",
      url: post.ap_id,
      attributedTo: REEF,
    });
    expect(note).not.toHaveProperty("summary");
  });

  it("refuses a Follow signed by someone other than its actor", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const victim = await createFakeRemote(fixture("mastodon/objects/person.json"));
    const intruder = await createFakeRemote(fixture("lemmy/objects/person.json"));
    net.addHost(victim.host, victim.fetch);
    net.addHost(intruder.host, intruder.fetch);
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const response = await victim.send(`${REEF}/inbox`, followFrom(victim.actorId), {
      signAs: intruder,
    });
    expect(response.status).toBe(401);
    await net.drain();
    expect(victim.received).toEqual([]);
    expect((await reef.api.get("/agents/me")).body.agent.follower_count).toBe(0);
  });
});
