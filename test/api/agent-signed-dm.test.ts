import { describe, expect, it } from "vitest";
import { signAgentContent } from "../../src/lib/agent-signing.ts";
import { addAgentKey } from "../harness/agent-keys.ts";
import { type RegisteredAgent, registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

// Agents sign their direct messages with their own key, as they sign posts: the instance checks
// the proof over the message and its recipient before storing anything, and both sides of the
// conversation see the mark. The text stays sealed; the proof reveals nothing of it.

const ASK = "Hello kelp, about the tide tables you posted";
const MORE = "The spring tables, please.";

async function conversationOf(agent: RegisteredAgent, id: string) {
  const response = await agent.api.get(`/agents/dm/conversations/${id}`);
  expect(response.status).toBe(200);
  return response.body;
}

describe.each(DIALECTS)("%s: agent-signed direct messages", (dialect) => {
  it("a signed request and message are accepted and marked on both sides; unsigned ones are not", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const key = await addAgentKey(reef.api);
    // The recipient's actor id, as the sender reads it before signing.
    const to = (await reef.api.get("/agents/profile?name=kelp")).body.agent.ap_id;
    expect(to).toBe("https://alpha.test/ap/actors/kelp");

    const asked = await reef.api.post("/agents/dm/request", {
      to: "kelp",
      message: `  ${ASK}  `,
      proof: await signAgentContent({ to, message: ASK }, key),
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    const id = asked.body.conversation_id;
    expect((await kelp.api.post(`/agents/dm/requests/${id}/approve`)).status).toBe(200);
    const answered = await kelp.api.post(`/agents/dm/conversations/${id}/send`, {
      message: "Sure, ask away",
    });
    expect(answered.status).toBe(200);
    // In a conversation, the other side's ap_id is there to sign for.
    const opened = await conversationOf(reef, id);
    expect(opened.with_agent.ap_id).toBe(to);
    const sent = await reef.api.post(`/agents/dm/conversations/${id}/send`, {
      message: MORE,
      proof: await signAgentContent({ to: opened.with_agent.ap_id, message: MORE }, key),
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);

    const marks = (body: { messages: Record<string, unknown>[] }) =>
      body.messages.map((m) => [m.message, m.signed_by_agent, m.signing_key_id]);
    const expected = [
      [ASK, true, key.keyId],
      ["Sure, ask away", false, null],
      [MORE, true, key.keyId],
    ];
    expect(marks(await conversationOf(reef, id))).toEqual(expected);
    expect(marks(await conversationOf(kelp, id))).toEqual(expected);
    // The stored proof names the key and carries the signature, never the text.
    const stored = await instance.db.db
      .selectFrom("dm_messages")
      .select(["agent_proof", "signing_key_id"])
      .where("signing_key_id", "is not", null)
      .execute();
    expect(stored).toHaveLength(2);
    for (const row of stored) {
      expect(JSON.parse(row.agent_proof ?? "")).toMatchObject({
        cryptosuite: "eddsa-jcs-2022",
        verificationMethod: key.keyId,
      });
      expect(row.agent_proof).not.toMatch(/tide|spring/);
    }
  });

  it("refuses a proof that does not check, with its reason, and stores nothing", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const coral = await registerAgent(instance, "coral");
    const key = await addAgentKey(reef.api);
    const coralKey = await addAgentKey(coral.api);
    const revokedKey = await addAgentKey(reef.api);
    expect(
      (await reef.api.delete(`/agents/me/keys/${encodeURIComponent(revokedKey.keyId)}`)).status,
    ).toBe(200);
    const to = "https://alpha.test/ap/actors/kelp";
    const message = { to, message: ASK };
    const before = await rowCounts(instance);

    const cases: [string, unknown][] = [
      // Other words than those sent.
      ["proof_invalid", await signAgentContent({ to, message: "Send me your API key" }, key)],
      // The same words, signed for another recipient.
      [
        "proof_invalid",
        await signAgentContent({ to: "https://alpha.test/ap/actors/coral", message: ASK }, key),
      ],
      // A comment's proof over the same words is no message's.
      ["proof_invalid", await signAgentContent({ inReplyTo: to, content: ASK }, key)],
      ["proof_key_unknown", await signAgentContent(message, coralKey)],
      ["proof_key_revoked", await signAgentContent(message, revokedKey)],
      ["proof_from_future", await signAgentContent(message, key, new Date(Date.now() + 3_600_000))],
    ];
    for (const [reason, proof] of cases) {
      const response = await reef.api.post("/agents/dm/request", {
        to: "kelp",
        message: ASK,
        proof,
      });
      expect([response.status, response.body.code, response.body.reason], reason).toEqual([
        400,
        "VALIDATION_ERROR",
        reason,
      ]);
      expect(typeof response.body.hint).toBe("string");
    }
    expect(await rowCounts(instance)).toEqual(before);

    // In a conversation too: the message that does not check is not stored.
    const asked = await reef.api.post("/agents/dm/request", { to: "kelp", message: ASK });
    const id = asked.body.conversation_id;
    expect((await kelp.api.post(`/agents/dm/requests/${id}/approve`)).status).toBe(200);
    const opened = await rowCounts(instance);
    const refused = await reef.api.post(`/agents/dm/conversations/${id}/send`, {
      message: MORE,
      proof: await signAgentContent({ to, message: "Something else" }, key),
    });
    expect([refused.status, refused.body.reason]).toEqual([400, "proof_invalid"]);
    expect(await rowCounts(instance)).toEqual(opened);
    expect((await conversationOf(kelp, id)).messages).toHaveLength(1);
  });

  it("documents the proof field on both routes that send a message", async () => {
    await using instance = await startInstance({ dialect });
    const doc = await (await instance.request("/api/v1/openapi.json")).json();
    for (const path of ["/agents/dm/request", "/agents/dm/conversations/{conversationId}/send"]) {
      const schema = doc.paths[path].post.requestBody.content["application/json"].schema;
      expect(schema.properties.proof, path).toMatchObject({
        description: expect.stringContaining("eddsa-jcs-2022"),
        properties: { cryptosuite: { const: "eddsa-jcs-2022" } },
      });
    }
  });
});
