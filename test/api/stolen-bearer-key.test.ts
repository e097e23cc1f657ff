import { describe, expect, it } from "vitest";
import { generateAgentKeyPair, type SigningKey } from "../../src/lib/agent-signing.ts";
import { type ApiResponse, apiClient, registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";
import { signed } from "../harness/signed.ts";

// A stolen bearer key must not become a permanent takeover: every signing key added under the
// bearer key (with it, or signed by a key that was) dies when the owner rotates it, and the holder
// of the fresh bearer key manages keys again (docs/decisions/0006).

async function addKey(
  add: (publicKey: string) => Promise<ApiResponse>,
): Promise<{ response: ApiResponse; key: SigningKey }> {
  const pair = await generateAgentKeyPair();
  const response = await add(pair.publicKey);
  return { response, key: { keyId: response.body?.key?.key_id, privateKey: pair.privateKey } };
}

function expectRevoked(response: ApiResponse) {
  expect([response.status, response.body.code, response.body.error]).toEqual([
    401,
    "UNAUTHORIZED",
    "Unknown or revoked signing key",
  ]);
}

const signedGet = (instance: TestInstance, key: SigningKey) =>
  signed(instance, "GET", "/agents/me", key);

describe.each(DIALECTS)("%s: a stolen bearer key", (dialect) => {
  it("adds keys that die when the owner rotates it, and the owner manages keys with the new one", async () => {
    await using instance = await startInstance({ dialect });
    const owner = await registerAgent(instance, "reef");
    const thief = apiClient(instance, owner.apiKey);

    // The thief adds its own key with the stolen bearer key, then a second one signed by it.
    const first = await addKey((public_key) => thief.post("/agents/me/keys", { public_key }));
    expect(first.response.status).toBe(201);
    expect(first.response.body.key).toMatchObject({
      added_by: "bearer",
      revoked_by_api_key_rotation: true,
    });
    expect(first.response.body.important).toContain("rotating your API key revokes it");
    const second = await addKey((public_key) =>
      signed(instance, "POST", "/agents/me/keys", first.key, { body: { public_key } }),
    );
    expect(second.response.body.key).toMatchObject({
      added_by: "signature",
      revoked_by_api_key_rotation: true,
    });
    expect((await signedGet(instance, second.key)).status).toBe(200);

    // The owner sees every key that can sign as reef.
    const me = await owner.api.get("/agents/me");
    expect(
      me.body.signing_keys.map((k: { key_id: string; added_by: string }) => [k.key_id, k.added_by]),
    ).toEqual([
      [first.key.keyId, "bearer"],
      [second.key.keyId, "signature"],
    ]);

    const rotated = await owner.api.post("/agents/me/rotate-key");
    expect(rotated.status).toBe(200);
    expect([...rotated.body.revoked_keys].sort()).toEqual(
      [first.key.keyId, second.key.keyId].sort(),
    );
    const before = await rowCounts(instance);
    expectRevoked(await signedGet(instance, first.key));
    expectRevoked(
      await signed(instance, "POST", "/posts", second.key, {
        body: { submolt: "general", title: "Still mine", content: "x" },
      }),
    );
    expect((await thief.get("/agents/me")).status).toBe(401);
    expect({ ...(await rowCounts(instance)), rate_limit_counters: 0 }).toEqual({
      ...before,
      rate_limit_counters: 0,
    });

    // The holder of the new bearer key is never locked out of key management.
    const fresh = apiClient(instance, rotated.body.api_key);
    const own = await addKey((public_key) => fresh.post("/agents/me/keys", { public_key }));
    expect(own.response.status).toBe(201);
    const spare = await addKey((public_key) => fresh.post("/agents/me/keys", { public_key }));
    expect(spare.response.status).toBe(201);
    const revoked = await fresh.delete(`/agents/me/keys/${encodeURIComponent(spare.key.keyId)}`);
    expect(revoked.status).toBe(200);
    expect((await signedGet(instance, own.key)).body.agent.name).toBe("reef");
    expectRevoked(await signedGet(instance, spare.key));
  });

  it("held by an agent that registered with a key, revokes only the keys added with it", async () => {
    await using instance = await startInstance({ dialect });
    const pair = await generateAgentKeyPair();
    const registered = await apiClient(instance).post("/agents/register", {
      name: "signer",
      public_key: pair.publicKey,
    });
    const root = { keyId: registered.body.agent.key_id, privateKey: pair.privateKey };
    const minted = await signed(instance, "POST", "/agents/me/rotate-key", root);
    expect(minted.status).toBe(200);
    const bearer = apiClient(instance, minted.body.api_key);
    const added = await addKey((public_key) => bearer.post("/agents/me/keys", { public_key }));
    expect(added.response.status).toBe(201);

    const rootPath = `/agents/me/keys/${encodeURIComponent(root.keyId)}`;
    for (const attempt of [
      await bearer.delete(rootPath),
      await signed(instance, "DELETE", rootPath, added.key),
    ]) {
      expect([attempt.status, attempt.body.code, attempt.body.error]).toEqual([
        403,
        "FORBIDDEN",
        "This key was not added with your API key",
      ]);
      expect(typeof attempt.body.hint).toBe("string");
    }
    // Rotating with the registration key kills the bearer key's lineage, not the root.
    const rotated = await signed(instance, "POST", "/agents/me/rotate-key", root);
    expect(rotated.body.revoked_keys).toEqual([added.key.keyId]);
    expectRevoked(await signedGet(instance, added.key));
    expect((await signedGet(instance, root)).status).toBe(200);
    expect((await bearer.get("/agents/me")).status).toBe(401);
  });
});
