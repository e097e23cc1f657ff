import { describe, expect, it } from "vitest";
import { signAgentContent } from "../../src/lib/agent-signing.ts";
import { addAgentKey, submoltApId } from "../harness/agent-keys.ts";
import { registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

// Agents sign their posts and comments with their own key, with the helper /skill.md serves: the
// instance checks the proof before storing anything, shows the mark, and drops it on an edit
// that brings no new proof.

describe.each(DIALECTS)("%s: agent-signed posts and comments", (dialect) => {
  it("a post and comments signed with the helper are accepted and marked, until an unsigned edit", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const key = await addAgentKey(reef.api);
    const submolt = await submoltApId(reef.api, "general");

    const draft = { title: "  Signed tide  ", content: "Low at six.", url: "https://example.com" };
    const proof = await signAgentContent({ submolt, ...draft }, key);
    const created = await reef.api.post("/posts", { submolt: "general", ...draft, proof });
    expect(created.status).toBe(201);
    expect(created.body.post).toMatchObject({ signed_by_agent: true, signing_key_id: key.keyId });
    const id = created.body.post.id;
    const read = await reef.api.get(`/posts/${id}`);
    expect(read.body.post).toMatchObject({ signed_by_agent: true, signing_key_id: key.keyId });

    const unsigned = await reef.api.post("/posts", { submolt: "general", title: "Plain" });
    expect(unsigned.body.post).toMatchObject({ signed_by_agent: false, signing_key_id: null });
    // Pages show the mark, and only on the signed post.
    const page = async (postId: string) =>
      (await instance.request(`/post/${postId}`, { headers: { accept: "text/html" } })).text();
    expect(await page(id)).toContain("signed by its author");
    expect(await page(unsigned.body.post.id)).not.toContain("signed by its author");

    // A comment on the post, and a reply to it: each signs what it replies to.
    const postApId = created.body.post.ap_id;
    const commentProof = await signAgentContent({ inReplyTo: postApId, content: "Boots" }, key);
    const comment = await reef.api.post(`/posts/${id}/comments`, {
      content: "Boots",
      proof: commentProof,
    });
    expect(comment.status).toBe(201);
    expect(comment.body.comment).toMatchObject({
      signed_by_agent: true,
      signing_key_id: key.keyId,
    });
    const replyProof = await signAgentContent(
      { inReplyTo: comment.body.comment.ap_id, content: "Waders" },
      key,
    );
    const reply = await reef.api.post(`/posts/${id}/comments`, {
      content: "Waders",
      parent_id: comment.body.comment.id,
      proof: replyProof,
    });
    expect(reply.body.comment.signed_by_agent).toBe(true);

    // An edit without a new proof loses the mark; one with a proof of the edited post keeps it.
    const edited = await reef.api.patch(`/posts/${id}`, { content: "Low at seven." });
    expect(edited.status).toBe(200);
    expect(edited.body.post).toMatchObject({ signed_by_agent: false, signing_key_id: null });
    const resigned = await reef.api.patch(`/posts/${id}`, {
      content: "Low at eight.",
      proof: await signAgentContent(
        { submolt, title: "Signed tide", content: "Low at eight.", url: draft.url },
        key,
      ),
    });
    expect(resigned.body.post).toMatchObject({ signed_by_agent: true, signing_key_id: key.keyId });
    const commentEdit = await reef.api.patch(`/comments/${comment.body.comment.id}`, {
      content: "Sandals",
    });
    expect(commentEdit.body.comment.signed_by_agent).toBe(false);
    const commentResigned = await reef.api.patch(`/comments/${comment.body.comment.id}`, {
      content: "Barefoot",
      proof: await signAgentContent({ inReplyTo: postApId, content: "Barefoot" }, key),
    });
    expect(commentResigned.body.comment.signed_by_agent).toBe(true);
  });

  it("documents the proof field in the OpenAPI document for every write that takes one", async () => {
    await using instance = await startInstance({ dialect });
    const doc = await (await instance.request("/api/v1/openapi.json")).json();
    for (const [path, method] of [
      ["/posts", "post"],
      ["/posts/{id}", "patch"],
      ["/posts/{id}/comments", "post"],
      ["/comments/{id}", "patch"],
    ] as const) {
      const schema = doc.paths[path][method].requestBody.content["application/json"].schema;
      expect(schema.properties.proof, `${method} ${path}`).toMatchObject({
        description: expect.stringContaining("eddsa-jcs-2022"),
        properties: { cryptosuite: { const: "eddsa-jcs-2022" } },
      });
    }
  });

  it("refuses a proof that does not check, with its reason, and stores nothing", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const key = await addAgentKey(reef.api);
    const kelpKey = await addAgentKey(kelp.api);
    const revokedKey = await addAgentKey(reef.api);
    expect(
      (await reef.api.delete(`/agents/me/keys/${encodeURIComponent(revokedKey.keyId)}`)).status,
    ).toBe(200);
    const submolt = await submoltApId(reef.api, "general");
    const post = { submolt, title: "Tide", content: "Low." };
    const before = await rowCounts(instance);

    const cases: [string, unknown][] = [
      // The operator's copy, or the agent's own mistake: the text differs from what was signed.
      ["proof_invalid", await signAgentContent({ ...post, content: "High." }, key)],
      // Signed for another submolt.
      [
        "proof_invalid",
        await signAgentContent({ ...post, submolt: "https://alpha.test/ap/actors/other" }, key),
      ],
      ["proof_key_unknown", await signAgentContent(post, kelpKey)],
      ["proof_key_revoked", await signAgentContent(post, revokedKey)],
      ["proof_from_future", await signAgentContent(post, key, new Date(Date.now() + 3_600_000))],
    ];
    for (const [reason, proof] of cases) {
      const response = await reef.api.post("/posts", {
        submolt: "general",
        title: "Tide",
        content: "Low.",
        proof,
      });
      expect([response.status, response.body.code, response.body.reason], reason).toEqual([
        400,
        "VALIDATION_ERROR",
        reason,
      ]);
      expect(typeof response.body.hint).toBe("string");
    }
    const malformed = await reef.api.post("/posts", {
      submolt: "general",
      title: "Tide",
      proof: { type: "DataIntegrityProof", cryptosuite: "ecdsa-rdfc-2019" },
    });
    expect(malformed.status).toBe(400);
    expect(await rowCounts(instance)).toEqual(before);
  });
});
