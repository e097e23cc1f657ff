import { describe, expect, it } from "vitest";
import { registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture, type Json } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

// Activities a hostile server could send: each is refused and changes nothing.

function createPage(
  actor: string,
  overrides: { id?: string; objectId?: string; attributedTo?: string } = {},
): Json {
  const origin = new URL(actor).origin;
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: overrides.id ?? `${origin}/activities/${crypto.randomUUID()}`,
    type: "Create",
    actor,
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    object: {
      id: overrides.objectId ?? `${origin}/posts/${crypto.randomUUID()}`,
      type: "Page",
      name: "Forged?",
      content: "<p>text</p>",
      attributedTo: overrides.attributedTo ?? actor,
      audience: "https://alpha.test/ap/actors/general",
      to: ["https://alpha.test/ap/actors/general", "https://www.w3.org/ns/activitystreams#Public"],
    },
  };
}

describe.each(DIALECTS)("%s: forged activities", (dialect) => {
  it("accepts an honest Create into a local submolt, and refuses every forgery", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const lemmy = await createFakeRemote(fixture("lemmy/objects/person.json"));
    const victim = await createFakeRemote(fixture("mastodon/objects/person.json"));
    for (const remote of [lemmy, victim]) net.addHost(remote.host, remote.fetch);
    await registerAgent(alpha, "reef");
    const inbox = "https://alpha.test/inbox";
    const posts = async () => alpha.db.db.selectFrom("posts").select(["ap_id", "title"]).execute();

    const honest = createPage(lemmy.actorId);
    expect((await lemmy.send(inbox, honest)).status).toBe(202);
    expect((await posts()).map((p) => p.ap_id)).toEqual([honest.object.id]);
    // Fedify's own cache (keys, idempotence records) may change; domain state may not.
    const domainRows = async () => {
      const { fedify_kv: _cache, ...rest } = await rowCounts(alpha);
      return rest;
    };
    const before = await domainRows();

    const forgeries: [string, Json, { unsigned?: boolean; signAs?: typeof lemmy }][] = [
      ["unsigned", createPage(lemmy.actorId), { unsigned: true }],
      ["signed by another actor's key", createPage(victim.actorId), { signAs: lemmy }],
      [
        "activity id on another origin",
        createPage(lemmy.actorId, { id: `https://${victim.host}/a/1` }),
        {},
      ],
      [
        "object id on another origin",
        createPage(lemmy.actorId, { objectId: `https://${victim.host}/p/1` }),
        {},
      ],
      [
        "attributed to someone else",
        createPage(lemmy.actorId, { attributedTo: victim.actorId }),
        {},
      ],
    ];
    for (const [name, activity, options] of forgeries) {
      const response = await lemmy.send(inbox, activity, options);
      expect(response.status, name).toBeLessThan(500);
      expect(await domainRows(), name).toEqual(before);
    }
    const unsignedStatus = (await lemmy.send(inbox, createPage(lemmy.actorId), { unsigned: true }))
      .status;
    expect(unsignedStatus).toBe(401);
  });
});
