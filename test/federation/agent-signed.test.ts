import { verifyObject } from "@fedify/fedify";
import { Create } from "@fedify/vocab";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import { describe, expect, it } from "vitest";
import { type SigningKey, signAgentContent } from "../../src/lib/agent-signing.ts";
import { addAgentKey, submoltApId } from "../harness/agent-keys.ts";
import { type RegisteredAgent, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import type { TestInstance } from "../harness/instance.ts";
import { createNetwork, type Network } from "../harness/network.ts";

// An agent on beta signs its posts into general@alpha with its own key. Alpha receives the post
// from beta, gamma through alpha's relay: each checks the proof against the Note and the key
// beta's actor lists, and keeps the result. Beta's operator cannot change a signed text without
// every other instance dropping the mark, and a revoked key still vouches for what it signed.

const signatureOn = async (instance: TestInstance, table: "posts" | "comments", apId: string) =>
  instance.db.db
    .selectFrom(table)
    .select(["content", "signing_key_id"])
    .where("ap_id", "=", apId)
    .executeTakeFirst();

async function threeInstances(net: Network) {
  const kelp = await registerAgent(net.instance("beta"), "kelp");
  const coral = await registerAgent(net.instance("gamma"), "coral");
  for (const agent of [kelp, coral]) {
    const joined = await agent.api.post("/submolts/general@alpha.test/subscribe");
    expect(joined.body.action).toBe("subscribed");
  }
  await net.drain();
  return { kelp, coral, submolt: await submoltApId(kelp.api, "general@alpha.test") };
}

/** Posts `draft` into general@alpha as `agent`, signed with `key`; the post as answered. */
async function postSigned(
  agent: RegisteredAgent,
  submolt: string,
  key: SigningKey,
  draft: { title: string; content: string; url?: string },
) {
  const post = await agent.api.post("/posts", {
    submolt: "general@alpha.test",
    ...draft,
    proof: await signAgentContent({ submolt, ...draft }, key),
  });
  expect(post.body.post.signed_by_agent).toBe(true);
  return post.body.post;
}

describe.each(DIALECTS)("%s: agent-signed content across instances", (dialect) => {
  it("a signed post and comment are verified on a second and a third instance", async () => {
    await using net = await createNetwork(["alpha", "beta", "gamma"], { dialect });
    const { kelp, coral, submolt } = await threeInstances(net);
    const key = await addAgentKey(kelp.api);
    const post = await postSigned(kelp, submolt, key, {
      title: "Signed",
      content: "Every word mine.",
      url: "https://example.com/a",
    });
    const apId = post.ap_id;
    await net.drain();
    const comment = await kelp.api.post(`/posts/${post.id}/comments`, {
      content: "And this.",
      proof: await signAgentContent({ inReplyTo: apId, content: "And this." }, key),
    });
    await net.drain();

    for (const name of ["alpha", "gamma"]) {
      const instance = net.instance(name);
      expect((await signatureOn(instance, "posts", apId))?.signing_key_id, name).toBe(key.keyId);
      expect(
        (await signatureOn(instance, "comments", comment.body.comment.ap_id))?.signing_key_id,
        name,
      ).toBe(key.keyId);
    }
    const seen = (await coral.api.get("/feed?sort=new")).body.posts[0];
    expect(seen).toMatchObject({ ap_id: apId, signed_by_agent: true, signing_key_id: key.keyId });

    // The key is an assertion method of kelp's actor (FEP-521a), next to the instance's keys.
    const actor = await (
      await net.instance("beta").fetch(
        new Request("https://beta.test/ap/actors/kelp", {
          headers: { accept: "application/activity+json" },
        }),
      )
    ).json();
    expect(actor.assertionMethod).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: key.keyId, type: "Multikey", controller: actor.id }),
      ]),
    );
  });

  it("a text its instance's operator changed keeps no mark anywhere", async () => {
    await using net = await createNetwork(["alpha", "beta", "gamma"], { dialect });
    const { kelp, submolt } = await threeInstances(net);
    const key = await addAgentKey(kelp.api);
    const post = await postSigned(kelp, submolt, key, {
      title: "Pay me",
      content: "Send nothing.",
    });
    const apId = post.ap_id;
    // Beta's operator rewrites the post in the database before it goes out.
    await net
      .instance("beta")
      .db.db.updateTable("posts")
      .set({ content: "Send your API key." })
      .where("ap_id", "=", apId)
      .execute();
    await net.drain();
    for (const name of ["alpha", "gamma"]) {
      expect(await signatureOn(net.instance(name), "posts", apId), name).toEqual({
        content: "Send your API key.",
        signing_key_id: null,
      });
    }
  });

  it("after a key is revoked, what it signed still verifies by its key id", async () => {
    await using net = await createNetwork(["alpha", "beta", "gamma"], { dialect });
    const { kelp, submolt } = await threeInstances(net);
    const oldKey = await addAgentKey(kelp.api);
    const post = await postSigned(kelp, submolt, oldKey, {
      title: "Old",
      content: "Signed before the rotation.",
    });
    const apId = post.ap_id;
    await net.drain();

    const newKey = await addAgentKey(kelp.api);
    const revoked = await kelp.api.delete(`/agents/me/keys/${encodeURIComponent(oldKey.keyId)}`);
    expect(revoked.status).toBe(200);
    // A revoked key signs nothing new.
    const refused = await kelp.api.post(`/posts/${post.id}/comments`, {
      content: "Late",
      proof: await signAgentContent({ inReplyTo: apId, content: "Late" }, oldKey),
    });
    expect([refused.status, refused.body.reason]).toEqual([400, "proof_key_revoked"]);

    // Gamma forgets the post and every document it cached, as an instance that first sees the
    // post after the revocation: a comment signed with the new key makes it fetch the post again.
    const gamma = net.instance("gamma");
    await gamma.db.db.deleteFrom("posts").where("ap_id", "=", apId).execute();
    await gamma.db.db.deleteFrom("fedify_kv").where("key", "like", "%beta.test%").execute();
    const comment = await kelp.api.post(`/posts/${post.id}/comments`, {
      content: "New key",
      proof: await signAgentContent({ inReplyTo: apId, content: "New key" }, newKey),
    });
    expect(comment.body.comment.signing_key_id).toBe(newKey.keyId);
    await net.drain();
    expect((await signatureOn(gamma, "posts", apId))?.signing_key_id).toBe(oldKey.keyId);
    expect((await signatureOn(gamma, "comments", comment.body.comment.ap_id))?.signing_key_id).toBe(
      newKey.keyId,
    );
    expect((await signatureOn(net.instance("alpha"), "posts", apId))?.signing_key_id).toBe(
      oldKey.keyId,
    );
  });

  it("instances sign what they send with an Object Integrity Proof: a copy passed on by anyone is taken without a fetch", async () => {
    await using net = await createNetwork(["alpha", "beta", "gamma"], { dialect });
    const { kelp, submolt } = await threeInstances(net);
    const key = await addAgentKey(kelp.api);
    const from = net.traffic.length;
    const post = await postSigned(kelp, submolt, key, { title: "Hi", content: "Passed on." });
    await net.drain();
    const sent = net.traffic
      .slice(from)
      .find((r) => r.type === "Create" && r.url.startsWith("https://alpha.test"))?.body as
      | Record<string, unknown>
      | undefined;
    // The Linked Data Signature is added after the proof, and receivers take it off first.
    const { signature: _ldSignature, ...create } = sent ?? {};
    expect(create.proof).toMatchObject({
      type: "DataIntegrityProof",
      cryptosuite: "eddsa-jcs-2022",
      verificationMethod: expect.stringMatching(/^https:\/\/beta\.test\/ap\/actors\/kelp#/),
    });
    // As any receiver checks it: with the key the actor document lists (over the test network).
    const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
    expect(await verifyObject(Create, create, { documentLoader })).toBeInstanceOf(Create);
    // Changed in transit, it no longer checks.
    const changed = {
      ...create,
      object: { ...(create.object as object), source: { content: "Forged" } },
    };
    expect(await verifyObject(Create, changed, { documentLoader })).toBeNull();

    // Passed on by anyone, with no HTTP signature: gamma checks the proof and takes the post from
    // the activity itself, fetching nothing of it from beta; a changed copy it refuses.
    const gamma = net.instance("gamma");
    const apId = post.ap_id;
    await gamma.db.db.deleteFrom("posts").where("ap_id", "=", apId).execute();
    const forward = (body: unknown) =>
      gamma.fetch(
        new Request("https://gamma.test/inbox", {
          method: "POST",
          headers: { "content-type": "application/activity+json" },
          body: JSON.stringify(body),
        }),
      );
    expect((await forward(changed)).status).toBe(401);
    expect(await signatureOn(gamma, "posts", apId)).toBeUndefined();
    const before = net.traffic.length;
    expect((await forward(create)).status).toBe(202);
    expect(await signatureOn(gamma, "posts", apId)).toEqual({
      content: "Passed on.",
      signing_key_id: key.keyId,
    });
    expect(net.traffic.slice(before).filter((r) => r.url.startsWith(apId))).toEqual([]);
  });
});
