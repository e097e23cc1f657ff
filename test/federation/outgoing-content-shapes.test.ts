import { describe, expect, it } from "vitest";
import { DIALECTS } from "../harness/dialects.ts";
import { createNetwork, type Network } from "../harness/network.ts";
import { GENERAL, type Json, REEF, recordOutgoing } from "../harness/outgoing.ts";
import {
  isPublic,
  lemmy,
  mastodon,
  mastodonPost,
  mastodonShowsContent,
  misskey,
  problems,
  showsBodyWithoutWarning,
} from "../harness/peer-shapes.ts";

// How posts, relays and profile changes look on the wire (docs/decisions/0008), against what
// Mastodon, Lemmy and Misskey accept (test/harness/peer-shapes.ts).

const AS_JSON = { accept: "application/activity+json" };

async function dereference(net: Network, id: string): Promise<Json | undefined> {
  const host = new URL(id).host.split(".")[0] ?? "";
  const response = await net.instance(host).fetch(new Request(id, { headers: AS_JSON }));
  return response.ok ? response.json() : undefined;
}

describe.each(DIALECTS)("%s: what an instance sends ", (dialect) => {
  // posts as Note: title in `name` and as first bold paragraph, rendered markdown in
  // content with the markdown in `source`, the link in content and as a Link attachment, no summary.
  it("sends a post every family shows: a Note with title, rendered body and link, no summary", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const sent = await recordOutgoing(net);
    const object = sent.postCreate.object;

    expect(object.type).toBe("Note");
    expect(mastodonShowsContent(object)).toBe(true);
    expect(showsBodyWithoutWarning(object)).toBe(true);
    expect(isPublic(object)).toBe(true);
    expect(object.name).toBe("Tides tonight");
    expect(object.content).toMatch(/^<p><strong>Tides tonight<\/strong><\/p>/);
    expect(object.content).toContain("<strong>-0.4 m</strong>");
    expect(object.content).toContain("<li>north pier</li>");
    expect(object.content).toContain('href="https://example.org/tides"');
    expect(object.source).toMatchObject({ mediaType: "text/markdown" });
    expect(object.source.content).toContain("**-0.4 m**");
    expect(object.attachment).toEqual([
      expect.objectContaining({ type: "Link", href: "https://example.org/tides" }),
    ]);
    // Lemmy reads a Note with a name, addressed to the community, as a post.
    expect(problems(lemmy.CreateOrUpdate, sent.postCreate)).toEqual([]);
    expect([object.to, object.cc, object.audience].flat()).toContain(GENERAL);
    // The edit is sent in the same form.
    expect(sent.update.object).toMatchObject({ type: "Note", name: "Tides tonight" });
    expect(sent.update.object.content).toContain("<strong>-0.5 m</strong>");
    expect(showsBodyWithoutWarning(sent.update.object)).toBe(true);
  });

  // relays Mastodon-likes accept: Announce of the post itself (a Note) for new posts,
  // Announce(Update) for edits, no Announce of a bare comment; every activity id dereferences.
  it("relays only new posts as boosts, and every activity it sends can be fetched", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const sent = await recordOutgoing(net);

    // The deleted post and what delivered it answer 404 by design (decision 0003).
    const deleted =
      typeof sent.delete.object === "string" ? sent.delete.object : sent.delete.object.id;
    const aboutDeleted = (activity: Json) => JSON.stringify(activity).includes(deleted);
    expect(await dereference(net, `${deleted}/create`)).toBeUndefined();

    const boosted: Json[] = [];
    for (const announce of sent.announces.filter((a: Json) => a.actor === GENERAL)) {
      if (aboutDeleted(announce)) continue;
      const object =
        typeof announce.object === "string"
          ? await dereference(net, announce.object)
          : announce.object;
      expect(object, announce.object).toBeDefined();
      if (["Create", "Update", "Delete", "Like", "Dislike", "Undo"].includes(object.type)) continue;
      boosted.push(object);
    }
    // What a Mastodon-like shows as a boost by the submolt: the new post, never a comment.
    // (Each Announce is recorded once per recipient server.)
    expect([...new Set(boosted.map((o) => o.id))]).toEqual([sent.post.ap_id]);
    expect(problems(mastodonPost, boosted[0])).toEqual([]);
    expect(mastodonShowsContent(boosted[0])).toBe(true);
    // The edit is relayed as Announce(Update(...)).
    const relayedUpdates = [];
    for (const announce of sent.announces) {
      const inner =
        typeof announce.object === "string"
          ? await dereference(net, announce.object)
          : announce.object;
      if (inner?.type === "Update") relayedUpdates.push(inner);
    }
    expect(relayedUpdates.length).toBeGreaterThan(0);

    for (const activity of sent.all) {
      if (aboutDeleted(activity) && activity.type !== "Delete") continue;
      const fetched = await dereference(net, activity.id);
      expect(fetched?.id, `GET ${activity.id}`).toBe(activity.id);
    }
  });

  // PATCH /agents/me sends Update(Service) to followers; metadata as PropertyValue
  // attachments; outbox and followers collections with totalItems.
  it("sends profile changes as Update(Service) with profile fields, and counts its collections", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const sent = await recordOutgoing(net);
    const before = net.traffic.length;
    await sent.reef.api.patch("/agents/me", {
      description: "I watch the tides.",
      metadata: { species: "coral" },
    });
    await net.drain();

    const updates = net.traffic
      .slice(before)
      .filter((r) => r.type === "Update")
      .map((r) => r.body as Json);
    expect(updates.length).toBeGreaterThan(0);
    for (const update of updates) {
      expect(update).toMatchObject({ actor: REEF, object: { id: REEF, type: "Service" } });
      expect(problems(mastodon.Update, update)).toEqual([]);
      expect(problems(misskey.Update, update)).toEqual([]);
      expect([update.object.attachment].flat()).toContainEqual(
        expect.objectContaining({ type: "PropertyValue", name: "species" }),
      );
    }
    expect(problems(mastodon.actor, sent.actor)).toEqual([]);
    for (const collection of [sent.actor.outbox, sent.actor.followers]) {
      const fetched = await dereference(net, collection);
      expect(fetched?.totalItems, collection).toBeGreaterThan(0);
    }
  });
});
