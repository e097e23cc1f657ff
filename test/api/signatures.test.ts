import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type AgentKeyPair,
  generateAgentKeyPair,
  type SigningKey,
} from "../../src/lib/agent-signing.ts";
import { type ApiResponse, apiClient, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";
import { signed } from "../harness/signed.ts";

// Agents that hold their own Ed25519 keys and sign every request (RFC 9421): no bearer key, and
// every way a signed request can be wrong is refused with 401, changing nothing.

interface Signer {
  readonly key: SigningKey;
  readonly pair: AgentKeyPair;
}

async function registerWithKey(
  instance: TestInstance,
  name: string,
): Promise<Signer & { id: string }> {
  const pair = await generateAgentKeyPair();
  const response = await apiClient(instance).post("/agents/register", {
    name,
    description: "I sign my requests",
    public_key: pair.publicKey,
  });
  expect(response.status).toBe(201);
  return {
    id: response.body.agent.id,
    pair,
    key: { keyId: response.body.agent.key_id, privateKey: pair.privateKey },
  };
}

function expectRefused(response: ApiResponse, error: string) {
  expect(response.status).toBe(401);
  expect(response.body).toMatchObject({ success: false, code: "UNAUTHORIZED", error });
  expect(typeof response.body.hint).toBe("string");
}

describe.each(DIALECTS)("%s: agent-signed requests", (dialect) => {
  it("an agent registered with a public key has no bearer key and posts with signed requests", async () => {
    await using instance = await startInstance({ dialect });
    const pair = await generateAgentKeyPair();
    const registered = await apiClient(instance).post("/agents/register", {
      name: "signer",
      public_key: pair.publicKey,
    });
    expect(registered.status).toBe(201);
    expect(registered.body.agent).toMatchObject({ name: "signer", api_key: null });
    expect(registered.body.agent.key_id).toMatch(
      /^https:\/\/alpha\.test\/ap\/actors\/signer#agent-key-/,
    );
    const key = { keyId: registered.body.agent.key_id, privateKey: pair.privateKey };

    const me = await signed(instance, "GET", "/agents/me", key);
    expect(me.status).toBe(200);
    expect(me.body.agent.name).toBe("signer");
    const post = await signed(instance, "POST", "/posts", key, {
      body: { submolt: "general", title: "Signed, not sealed", content: "No bearer key here" },
    });
    expect(post.status).toBe(201);
    expect(post.body.post).toMatchObject({
      title: "Signed, not sealed",
      author: { name: "signer" },
    });
    const row = await instance.db.db
      .selectFrom("agents")
      .select(["api_key_hash", "api_key_prefix"])
      .where("name", "=", "signer")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ api_key_hash: null, api_key_prefix: null });

    // A multibase Multikey (z6Mk…) is accepted too.
    const multikey = `z${base58(new Uint8Array([0xed, 0x01, ...Buffer.from(pair.publicKey, "base64url")]))}`;
    expect(multikey.startsWith("z6Mk")).toBe(true);
    const other = await apiClient(instance).post("/agents/register", {
      name: "multikey",
      public_key: multikey,
    });
    expect(other.status).toBe(201);
  });

  it("refuses replayed, wrong-key, tampered, stale, unknown-key and unsigned-digest requests, changing nothing", async () => {
    await using instance = await startInstance({ dialect });
    const { key } = await registerWithKey(instance, "signer");
    const intruder = await generateAgentKeyPair();
    const body = { submolt: "general", title: "Original", content: "As signed" };
    const first = await signed(instance, "POST", "/posts", key, { body });
    expect(first.status).toBe(201);
    const before = await rowCounts(instance);

    expectRefused(await first.replay(), "Signature already used");
    expectRefused(
      await signed(
        instance,
        "POST",
        "/posts",
        { keyId: key.keyId, privateKey: intruder.privateKey },
        { body },
      ),
      "Invalid signature",
    );
    expectRefused(
      await signed(instance, "POST", "/posts", key, {
        body,
        tweak: (r) => {
          r.body = JSON.stringify({ ...body, title: "Tampered" });
        },
      }),
      "Content-Digest does not match the body",
    );
    expectRefused(
      await signed(instance, "POST", "/posts", key, {
        body,
        tweak: (r) => {
          r.body = JSON.stringify({ ...body, title: "Tampered" });
          const digest = createHash("sha256").update(r.body).digest("base64");
          r.headers["content-digest"] = `sha-256=:${digest}:`;
        },
      }),
      "Invalid signature",
    );
    expectRefused(
      await signed(instance, "POST", "/posts", key, { body, now: new Date(Date.now() - 301_000) }),
      "Signature expired",
    );
    expectRefused(
      await signed(instance, "POST", "/posts", key, { body, now: new Date(Date.now() + 301_000) }),
      "Signature expired",
    );
    expectRefused(
      await signed(
        instance,
        "POST",
        "/posts",
        { keyId: `${key.keyId}x`, privateKey: key.privateKey },
        { body },
      ),
      "Unknown or revoked signing key",
    );
    expectRefused(
      await signed(instance, "POST", "/posts", key, {
        body,
        tweak: (r) => {
          r.headers["signature-input"] =
            r.headers["signature-input"]?.replace(' "content-digest"', "") ?? "";
        },
      }),
      "Malformed signature",
    );
    expectRefused(
      await signed(instance, "POST", "/posts", key, {
        body,
        tweak: (r) => {
          r.headers["signature-input"] = "sig1=(garbage";
        },
      }),
      "Malformed signature",
    );
    // Signed for another URL (another instance, another path): refused.
    expectRefused(
      await signed(instance, "POST", "/posts", key, {
        body,
        signedUrl: "https://beta.test/api/v1/posts",
      }),
      "Invalid signature",
    );
    expectRefused(
      await signed(instance, "POST", "/posts", key, {
        body,
        signedUrl: "https://alpha.test/api/v1/submolts",
      }),
      "Invalid signature",
    );
    const after = await rowCounts(instance);
    expect({ ...after, signature_replays: 0 }).toEqual({ ...before, signature_replays: 0 });
  });

  it("adds keys with a signed request, revokes them, and never the last credential", async () => {
    await using instance = await startInstance({ dialect });
    const { key: first } = await registerWithKey(instance, "signer");
    const second = await generateAgentKeyPair();

    const added = await signed(instance, "POST", "/agents/me/keys", first, {
      body: { public_key: second.publicKey },
    });
    expect(added.status).toBe(201);
    const secondKey = { keyId: added.body.key.key_id, privateKey: second.privateKey };
    const again = await signed(instance, "POST", "/agents/me/keys", first, {
      body: { public_key: second.publicKey },
    });
    expect(again.status).toBe(409);

    const revoke = (keyId: string, by: SigningKey) =>
      signed(instance, "DELETE", `/agents/me/keys/${encodeURIComponent(keyId)}`, by);
    expect((await revoke(first.keyId, secondKey)).status).toBe(200);
    const beforeRevokedUse = await rowCounts(instance);
    expectRefused(
      await signed(instance, "POST", "/posts", first, {
        body: { submolt: "general", title: "With a revoked key", content: "x" },
      }),
      "Unknown or revoked signing key",
    );
    expect(await rowCounts(instance)).toEqual(beforeRevokedUse);
    expectRefused(
      await signed(instance, "GET", "/agents/me", first),
      "Unknown or revoked signing key",
    );
    const last = await revoke(secondKey.keyId, secondKey);
    expect(last.status).toBe(409);
    expect(last.body).toMatchObject({ code: "CONFLICT", error: "Cannot revoke your last key" });
    const keys = await signed(instance, "GET", "/agents/me/keys", secondKey);
    expect(keys.body.keys.map((k: { is_revoked: boolean }) => k.is_revoked)).toEqual([true, false]);
    expect(keys.body.has_api_key).toBe(false);
    expect((await revoke(first.keyId, secondKey)).status).toBe(404);
  });

  it("refuses a public key that is not one, registering no one", async () => {
    await using instance = await startInstance({ dialect });
    const before = await rowCounts(instance);
    for (const public_key of ["short", "A".repeat(43), "z6MkNotBase58!!", 42]) {
      const response = await apiClient(instance).post("/agents/register", {
        name: "nobody",
        public_key,
      });
      expect(response.status, String(public_key)).toBe(400);
      expect(response.body.code).toBe("VALIDATION_ERROR");
    }
    expect(await rowCounts(instance)).toEqual(before);
  });
});

function base58(bytes: Uint8Array): string {
  const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  let value = BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
  let out = "";
  while (value > 0n) {
    out = alphabet[Number(value % 58n)] + out;
    value /= 58n;
  }
  return out;
}
