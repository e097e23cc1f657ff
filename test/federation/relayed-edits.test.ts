import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture, mastodonStatus } from "../harness/fake-remote.ts";
import type { TestInstance } from "../harness/instance.ts";
import { createNetwork, type Network } from "../harness/network.ts";

// A submolt on alpha, followed from beta: edits of its comments reach beta through the Group's
// relay as Announce(Update), whether the author is on alpha or on a Mastodon server (whose
// Update ids are fragments that do not dereference, so the Group embeds the Update).

const AS = "https://www.w3.org/ns/activitystreams";
const PUBLIC = `${AS}#Public`;

const contentOn = async (instance: TestInstance, apId: string) =>
  (
    await instance.db.db
      .selectFrom("comments")
      .select("content")
      .where("ap_id", "=", apId)
      .executeTakeFirst()
  )?.content;

/** What alpha's Group announced to beta since `from`: the ids of the announced objects. */
const announcedToBeta = (net: Network, from: number) =>
  net.traffic
    .slice(from)
    .filter((r) => r.method === "POST" && r.type === "Announce" && r.url.startsWith("https://beta"))
    .map((r) => r.object);

describe.each(DIALECTS)("%s: edits relayed by a submolt", (dialect) => {
  it("reach another instance as Announce(Update), from a local author and from a Mastodon one", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const beta = net.instance("beta");
    const mastodon = await createFakeRemote(fixture("mastodon/objects/person.json"));
    net.addHost(mastodon.host, mastodon.fetch);
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(beta, "kelp");
    const subscribed = await kelp.api.post("/submolts/general@alpha.test/subscribe");
    expect(subscribed.body.action).toBe("subscribed");
    await net.drain();
    const post = (await reef.api.post("/posts", { title: "Tide", content: "Low." })).body.post;
    const comment = (await reef.api.post(`/posts/${post.id}/comments`, { content: "Boots" })).body
      .comment;
    // A Mastodon reply to the post, delivered to alpha (Mastodon serves its Creates).
    const status = mastodonStatus(mastodon.actorId, 7, "<p>Sandals</p>", {
      inReplyTo: post.ap_id,
      cc: [`${mastodon.actorId}/followers`, "https://alpha.test/ap/actors/reef"],
    });
    const create = {
      "@context": AS,
      id: `${status.id}/activity`,
      type: "Create",
      actor: mastodon.actorId,
      to: [PUBLIC],
      object: status,
    };
    mastodon.publish(status);
    mastodon.publish(create);
    expect((await mastodon.send("https://alpha.test/inbox", create)).status).toBe(202);
    await net.drain();
    expect(await contentOn(beta, comment.ap_id)).toBe("Boots");
    expect(await contentOn(beta, status.id)).toBe("Sandals");

    // The local author edits: beta (which follows the submolt, not reef) gets it through the relay.
    let from = net.traffic.length;
    expect((await reef.api.patch(`/comments/${comment.id}`, { content: "Waders" })).status).toBe(
      200,
    );
    await net.drain();
    expect(await contentOn(beta, comment.ap_id)).toBe("Waders");
    expect(announcedToBeta(net, from)).toEqual([
      expect.stringMatching(new RegExp(`^${comment.ap_id}/updates/`)),
    ]);

    // The Mastodon author edits: its Update's id is a fragment, so the Group embeds the Update.
    from = net.traffic.length;
    const edited = { ...status, content: "<p>Barefoot</p>", updated: "2026-12-05T20:00:00Z" };
    mastodon.publish(edited);
    const update = {
      "@context": AS,
      id: `${status.id}#updates/1765000000`,
      type: "Update",
      actor: mastodon.actorId,
      to: [PUBLIC],
      object: edited,
    };
    expect((await mastodon.send("https://alpha.test/inbox", update)).status).toBe(202);
    await net.drain();
    expect(await contentOn(alpha, status.id)).toBe("Barefoot");
    expect(await contentOn(beta, status.id)).toBe("Barefoot");
    const announced = announcedToBeta(net, from);
    expect(announced).toEqual([update.id]);
    const sent = await alpha.db.db
      .selectFrom("published_activities")
      .select("json")
      .where("ap_id", "like", "https://alpha.test/ap/actors/general/announces/%")
      .execute();
    const relay = sent.map((r) => JSON.parse(r.json)).find((a) => a.object?.id === update.id);
    expect(relay?.object).toMatchObject({ type: "Update", actor: mastodon.actorId });

    // What beta follows with (its subscription's Follow) dereferences on beta too.
    const followId = (
      await beta.db.db.selectFrom("subscriptions").select("ap_id").executeTakeFirstOrThrow()
    ).ap_id;
    const follow = await beta.fetch(
      new Request(followId, { headers: { accept: "application/activity+json" } }),
    );
    expect(await follow.json()).toMatchObject({ id: followId, type: "Follow" });
  });
});
