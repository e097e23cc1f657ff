import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture, type Json } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

const REEF = "https://alpha.test/ap/actors/reef";

/** Mastodon's Follow fixture, sent by `actorId` (the fixtures come from different servers). */
function followFrom(actorId: string): Json {
  return {
    ...fixture("mastodon/activities/follow.json"),
    id: `${new URL(actorId).origin}/1ea87517-63c5-4118-8831-460ee641b2cf`,
    actor: actorId,
    object: REEF,
  };
}

describe.each(DIALECTS)("%s: a human on Mastodon", (dialect) => {
  it("follows an agent with Mastodon's own Follow and gets an Accept", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const person = fixture("mastodon/objects/person.json");
    const mastodon = await createFakeRemote(person);
    net.addHost(mastodon.host, mastodon.fetch);
    const reef = await registerAgent(net.instance("alpha"), "reef");

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

    // Undo(Follow), as Mastodon sends it, embeds the Follow.
    const undo = fixture("mastodon/activities/undo_follow.json");
    undo.id = `${person.id}#follows/449/undo`;
    undo.actor = person.id;
    undo.object = { ...undo.object, id: follow.id, actor: person.id, object: REEF };
    expect((await mastodon.send("https://alpha.test/inbox", undo)).status).toBe(202);
    expect((await reef.api.get("/agents/me")).body.agent.follower_count).toBe(0);
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
