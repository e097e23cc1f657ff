import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { registerAgent } from "../harness/api.ts";
import { testConfig } from "../harness/config.ts";
import { createTestDbPlace } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";

const AS2 = { accept: "application/activity+json" };

// biome-ignore lint/suspicious/noExplicitAny: actor documents are checked field by field.
async function fetchJson(instance: Pick<TestInstance, "fetch">, url: string): Promise<any> {
  const response = await instance.fetch(new Request(url, { headers: AS2 }));
  expect(response.status, url).toBe(200);
  return response.json();
}

describe.each(DIALECTS)("%s: actors and WebFinger", (dialect) => {
  it("finds an agent by acct: handle, case-insensitively, and serves it as a Service", async () => {
    await using instance = await startInstance({ dialect });
    await registerAgent(instance, "Reef");
    const finger = await instance.request("/.well-known/webfinger?resource=acct:REEF@alpha.test");
    expect(finger.status).toBe(200);
    const jrd = (await finger.json()) as { links: { rel: string; href: string; type?: string }[] };
    const self = jrd.links.find((l) => l.rel === "self");
    expect(self).toEqual({
      rel: "self",
      href: "https://alpha.test/ap/actors/reef",
      type: "application/activity+json",
    });

    const actor = await fetchJson(instance, self!.href);
    expect(actor).toMatchObject({
      type: "Service",
      id: "https://alpha.test/ap/actors/reef",
      preferredUsername: "Reef",
      name: "Reef",
      summary: "<p>I am Reef</p>\n",
      inbox: "https://alpha.test/ap/actors/reef/inbox",
      outbox: "https://alpha.test/ap/actors/reef/outbox",
      followers: "https://alpha.test/ap/actors/reef/followers",
      following: "https://alpha.test/ap/actors/reef/following",
      endpoints: { sharedInbox: "https://alpha.test/inbox" },
      url: "https://alpha.test/u/Reef",
      manuallyApprovesFollowers: false,
    });
    // RSA-2048 for HTTP signatures (Mastodon), Ed25519 multikey for object proofs.
    expect(actor.publicKey.id).toBe("https://alpha.test/ap/actors/reef#main-key");
    expect(actor.publicKey.owner).toBe(actor.id);
    const rsa = createPublicKey(actor.publicKey.publicKeyPem);
    expect(rsa.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const multikeys = [actor.assertionMethod].flat();
    expect(
      multikeys.map((k: { publicKeyMultibase: string }) => k.publicKeyMultibase.slice(0, 4)),
    ).toContain("z6Mk");
  });

  it("serves the general submolt as a Group and the instance as an Application", async () => {
    await using instance = await startInstance({ dialect });
    const group = await fetchJson(instance, "https://alpha.test/ap/actors/general");
    expect(group).toMatchObject({
      type: "Group",
      preferredUsername: "general",
      name: "General",
      url: "https://alpha.test/m/general",
      followers: "https://alpha.test/ap/actors/general/followers",
    });
    const app = await fetchJson(instance, "https://alpha.test/actor");
    expect(app).toMatchObject({ type: "Application", preferredUsername: "alpha.test" });
    expect(app.publicKey.publicKeyPem).toContain("BEGIN PUBLIC KEY");
  });

  it("answers 404 for unknown actors and handles", async () => {
    await using instance = await startInstance({ dialect });
    const actor = await instance.fetch(
      new Request("https://alpha.test/ap/actors/nobody", { headers: AS2 }),
    );
    expect(actor.status).toBe(404);
    const finger = await instance.request("/.well-known/webfinger?resource=acct:nobody@alpha.test");
    expect(finger.status).toBe(404);
  });

  it("serves a submolt's moderators, owner first, as its Group's attributedTo", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    await registerAgent(instance, "kelp");
    await reef.api.post("/submolts", { name: "tides" });
    expect((await reef.api.post("/submolts/tides/moderators", { agent_name: "kelp" })).status).toBe(
      200,
    );
    const group = await fetchJson(instance, "https://alpha.test/ap/actors/tides");
    expect(group.attributedTo).toBe("https://alpha.test/ap/actors/tides/moderators");
    const moderators = await fetchJson(instance, group.attributedTo);
    expect(moderators).toMatchObject({ type: "OrderedCollection", totalItems: 2 });
    // Plain actor URLs: Lemmy's parser takes nothing else.
    expect(moderators.orderedItems).toEqual([
      "https://alpha.test/ap/actors/reef",
      "https://alpha.test/ap/actors/kelp",
    ]);
    const agentModerators = await instance.fetch(
      new Request("https://alpha.test/ap/actors/reef/moderators", { headers: AS2 }),
    );
    expect(agentModerators.status).toBe(404);
  });

  it("lists followers and following", async () => {
    await using instance = await startInstance({ dialect });
    await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    await kelp.api.post("/agents/reef/follow");
    const followers = await fetchJson(instance, "https://alpha.test/ap/actors/reef/followers");
    expect(followers).toMatchObject({ type: "OrderedCollection", totalItems: 1 });
    expect(followers.orderedItems).toEqual(["https://alpha.test/ap/actors/kelp"]);
    const following = await fetchJson(instance, "https://alpha.test/ap/actors/kelp/following");
    expect(following.orderedItems).toEqual(["https://alpha.test/ap/actors/reef"]);
  });

  it("serves outboxes of Creates and a submolt's pinned posts as featured", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    await reef.api.post("/submolts", { name: "tides" });
    const post = (
      await reef.api.post("/posts", { submolt: "tides", title: "Pinned", content: "x" })
    ).body.post;
    await reef.api.post("/posts", { submolt: "tides", title: "Other", content: "y" });
    await reef.api.post(`/posts/${post.id}/pin`);
    const outbox = await fetchJson(instance, "https://alpha.test/ap/actors/reef/outbox");
    expect(
      outbox.orderedItems.map((a: { type: string; object: { name: string } }) => [
        a.type,
        a.object.name,
      ]),
    ).toEqual([
      ["Create", "Other"],
      ["Create", "Pinned"],
    ]);
    const group = await fetchJson(instance, "https://alpha.test/ap/actors/tides");
    expect(group.featured).toBe("https://alpha.test/ap/actors/tides/featured");
    const featured = await fetchJson(instance, group.featured);
    expect(featured.orderedItems.map((p: { name: string }) => p.name)).toEqual(["Pinned"]);
  });

  it("keeps each actor's keys across restarts, with private keys sealed at rest", async () => {
    const place = await createTestDbPlace(dialect);
    try {
      const first = await createApp(testConfig({ db: place.config }));
      const before = await fetchJson(first, "https://alpha.test/ap/actors/general");
      await first.close();
      const second = await createApp(testConfig({ db: place.config }));
      const after = await fetchJson(second, "https://alpha.test/ap/actors/general");
      const rows = await second.db.db.selectFrom("actor_keys").selectAll().execute();
      await second.close();
      expect(after.publicKey.publicKeyPem).toBe(before.publicKey.publicKeyPem);
      expect(rows.map((r) => r.algorithm).sort()).toEqual(["Ed25519", "RSASSA-PKCS1-v1_5"]);
      for (const row of rows) {
        expect(row.public_key).not.toContain('"d"');
        expect(row.private_key_encrypted).toMatch(/^v1\./);
        expect(row.private_key_encrypted).not.toContain('"d"');
      }
    } finally {
      await place.destroy();
    }
  });
});
