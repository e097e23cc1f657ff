import { describe, expect, it } from "vitest";
import type { Dialect } from "../../src/db/connect.ts";
import { registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture, type Json } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

// Delivery is at least once: the same activity may arrive again (a retry, or through both the
// shared and a personal inbox), and the same outbox event may be published again after a crash.

const REEF = "https://alpha.test/ap/actors/reef";

/** Alpha with its agent reef, and a Mastodon server (played from fixtures) on the network. */
async function alphaAndMastodon(dialect: Dialect) {
  const net = await createNetwork(["alpha"], { dialect });
  const person = fixture("mastodon/objects/person.json");
  const mastodon = await createFakeRemote(person);
  net.addHost(mastodon.host, mastodon.fetch);
  const reef = await registerAgent(net.instance("alpha"), "reef");
  const follow: Json = {
    ...fixture("mastodon/activities/follow.json"),
    id: `${person.id}#follows/1`,
    actor: person.id,
    object: REEF,
  };
  return { net, alpha: net.instance("alpha"), person, mastodon, reef, follow };
}

describe.each(DIALECTS)("%s: the same thing twice", (dialect) => {
  it("an activity received again, through either inbox, changes nothing the second time", async () => {
    const { net, alpha, person, mastodon, reef, follow } = await alphaAndMastodon(dialect);
    await using _network = net;
    const post = await reef.api.post("/posts", { title: "Say it twice", content: "Echo" });
    const postApId: string = post.body.post.ap_id;
    // Mastodon's own Like and reply, re-addressed from this fixture's person to reef's post.
    const like: Json = {
      ...fixture("mastodon/activities/like_page.json"),
      id: `${person.id}#likes/1`,
      actor: person.id,
      object: postApId,
    };
    const created = fixture("mastodon/activities/create_note.json");
    const reply: Json = {
      ...created,
      id: `${person.id}/statuses/1/activity`,
      actor: person.id,
      object: {
        ...created.object,
        id: `${person.id}/statuses/1`,
        attributedTo: person.id,
        inReplyTo: postApId,
      },
    };
    const sendAll = async () => {
      for (const activity of [follow, like, reply]) {
        for (const inbox of ["https://alpha.test/inbox", `${REEF}/inbox`]) {
          expect((await mastodon.send(inbox, activity)).status).toBe(202);
        }
      }
      await net.drain();
    };

    await sendAll();
    const once = await rowCounts(alpha);
    const state = async () => ({
      agent: (await reef.api.get("/agents/me")).body.agent,
      post: (await reef.api.get(`/posts/${post.body.post.id}`)).body,
    });
    const afterOnce = await state();
    expect(afterOnce.agent).toMatchObject({ follower_count: 1, karma: 1 });
    expect(afterOnce.post.post).toMatchObject({ score: 1, upvotes: 1, comment_count: 1 });
    expect(afterOnce.post.comments).toHaveLength(1);

    await sendAll();
    // A repeated Follow is answered again (the remote may have lost our Accept): only the
    // outbox, and the Accepts kept for fetching, grow.
    const twice = await rowCounts(alpha);
    const sent = { outbox_events: 0, published_activities: 0 };
    expect({ ...twice, ...sent }).toEqual({ ...once, ...sent });
    expect(await state()).toEqual(afterOnce);
  });

  it("an outbox event published again sends the same activity ids", async () => {
    const { net, alpha, mastodon, reef, follow } = await alphaAndMastodon(dialect);
    await using _network = net;
    expect((await mastodon.send(`${REEF}/inbox`, follow)).status).toBe(202);
    await reef.api.post("/posts", { title: "Published twice", content: "Once more" });
    await net.drain();
    const firstIds = mastodon.received.map((a) => `${a.body.type} ${a.body.id}`);
    expect(firstIds.filter((id) => id.startsWith("Create "))).toHaveLength(1);

    // As if the publisher crashed after sending and before marking the events published.
    await alpha.db.db
      .updateTable("outbox_events")
      .set({ published_at: null, available_at: new Date(0).toISOString() })
      .execute();
    mastodon.received.length = 0;
    await net.drain();
    const againIds = mastodon.received.map((a) => `${a.body.type} ${a.body.id}`);
    expect(againIds.sort()).toEqual([...firstIds].sort());
  });
});
