import { describe, expect, it } from "vitest";
import { generateAgentKeyPair } from "../../src/lib/agent-signing.ts";
import { apiClient, domainRowCounts, refusal } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import {
  createFakeRemote,
  fakeHost,
  fixture,
  type Json,
  mastodonStatus,
} from "../harness/fake-remote.ts";
import type { TestInstance } from "../harness/instance.ts";
import { createNetwork } from "../harness/network.ts";
import { signed } from "../harness/signed.ts";

// Recovering a stolen agent: its owner (the person who claimed it) publishes a fresh recovery
// code from the same fediverse account; the instance fetches the post as it does for claims and
// replaces every credential, so a thief holding the bearer key and keys of its own is out.

const ALICE = "https://mastodon.test/users/alice";
const BOB = "https://mastodon.test/users/bob";

const status = (author: string, n: number, text: string): Json =>
  mastodonStatus(author, n, `<p>${text}</p>`);

const person = (id: string) =>
  createFakeRemote({ ...fixture("mastodon/objects/person.json"), id, inbox: `${id}/inbox` });

/** State a refused recovery must leave alone: rows, credentials, keys. */
async function credentials(instance: TestInstance) {
  return {
    rows: await domainRowCounts(instance),
    agents: await instance.db.db
      .selectFrom("agents")
      .select(["name", "api_key_hash", "owner_ap_id"])
      .orderBy("name")
      .execute(),
    keys: await instance.db.db
      .selectFrom("agent_signing_keys")
      .select(["key_id", "revoked_at"])
      .orderBy("key_id")
      .execute(),
  };
}

describe.each(DIALECTS)("%s: recovering a stolen agent", (dialect) => {
  it("its owner's fresh post replaces every credential; any other proof is refused and changes nothing", {
    timeout: 30_000,
  }, async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const anonymous = apiClient(alpha);
    const alice = await person(ALICE);
    const bob = await person(BOB);
    net.addHost(alice.host, fakeHost([alice, bob]));

    // reef is claimed by alice; kelp is claimed by no one.
    const registered = await anonymous.post("/agents/register", { name: "reef" });
    const stolenKey: string = registered.body.agent.api_key;
    const claimToken = new URL(registered.body.agent.claim_url).pathname.split("/").at(-1);
    alice.publish(status(ALICE, 1, `Verification: ${registered.body.agent.verification_code}`));
    const claimed = await anonymous.post("/agents/claim", {
      claim_token: claimToken,
      url: `${ALICE}/statuses/1`,
    });
    expect(claimed.status).toBe(200);
    expect((await anonymous.post("/agents/register", { name: "kelp" })).status).toBe(201);

    // The thief rotates the stolen key (the owner's copy dies) and adds a key of its own.
    const thief = apiClient(alpha, stolenKey);
    const thiefBearer = (await thief.post("/agents/me/rotate-key")).body.api_key;
    const thiefPair = await generateAgentKeyPair();
    const thiefAdded = await apiClient(alpha, thiefBearer).post("/agents/me/keys", {
      public_key: thiefPair.publicKey,
    });
    const thiefKey = { keyId: thiefAdded.body.key.key_id, privateKey: thiefPair.privateKey };
    expect((await thief.get("/agents/me")).status).toBe(401);

    const started = await anonymous.post("/agents/recover/start", { name: "reef" });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ success: true, owner: { ap_id: ALICE } });
    const { recovery_token: token, recovery_code: code } = started.body;
    expect(code).toMatch(/^recover-[A-Z2-9]{8}$/);
    expect(token.includes(code)).toBe(false);

    bob.publish(status(BOB, 1, `Recovering reef: ${code}`));
    alice.publish(status(ALICE, 2, "Recovering reef, no code here"));
    // The thief starts its own recovery: its token's code is not the one alice posts.
    const thiefToken = (await anonymous.post("/agents/recover/start", { name: "reef" })).body
      .recovery_token;
    alice.publish(status(ALICE, 3, `Recovering reef: ${code}`));
    const recover = (body: Record<string, unknown>) =>
      anonymous.post("/agents/recover", {
        name: "reef",
        recovery_token: token,
        url: `${ALICE}/statuses/3`,
        ...body,
      });
    const before = await credentials(alpha);
    const refusals: [string, Record<string, unknown>, number, string][] = [
      ["another person's post", { url: `${BOB}/statuses/1` }, 403, "not_owner"],
      ["the owner's post without the code", { url: `${ALICE}/statuses/2` }, 400, "code_missing"],
      ["the owner's post, another token", { recovery_token: thiefToken }, 400, "code_missing"],
      ["a made-up token", { recovery_token: `${token}x` }, 400, "invalid_recovery_token"],
      ["an unclaimed agent", { name: "kelp" }, 400, "not_claimed"],
    ];
    for (const [name, body, statusCode, reason] of refusals) {
      const refused = await recover(body);
      expect([name, refused.status, refused.body.success, refused.body.reason]).toEqual([
        name,
        statusCode,
        false,
        reason,
      ]);
      expect(typeof refused.body.hint, name).toBe("string");
    }
    expect(refusal(await anonymous.post("/agents/recover/start", { name: "kelp" }))).toEqual([
      400,
      "BAD_REQUEST",
      "This agent has no owner to recover it",
    ]);
    expect(refusal(await anonymous.post("/agents/recover/start", { name: "nobody" }))[0]).toBe(404);
    expect((await recover({ url: "not a link" })).body.code).toBe("VALIDATION_ERROR");
    expect(await credentials(alpha)).toEqual(before);
    expect((await apiClient(alpha, thiefBearer).get("/agents/me")).status).toBe(200);

    const ownerPair = await generateAgentKeyPair();
    const recovered = await recover({ public_key: ownerPair.publicKey });
    expect(recovered.status).toBe(200);
    expect(recovered.body).toMatchObject({
      success: true,
      agent: { name: "reef" },
      key: { added_by: "recovery", revoked_by_api_key_rotation: false },
      revoked_keys: [thiefKey.keyId],
    });
    // Every earlier credential is dead; the new ones work.
    expect((await apiClient(alpha, thiefBearer).get("/agents/me")).status).toBe(401);
    expect((await signed(alpha, "GET", "/agents/me", thiefKey)).status).toBe(401);
    expect((await thief.get("/agents/me")).status).toBe(401);
    const owner = apiClient(alpha, recovered.body.api_key);
    expect((await owner.get("/agents/me")).body.agent.name).toBe("reef");
    const ownerKey = { keyId: recovered.body.key.key_id, privateKey: ownerPair.privateKey };
    expect((await signed(alpha, "GET", "/agents/me", ownerKey)).status).toBe(200);
    // The new bearer key's rotation leaves the recovered key alone.
    expect((await owner.post("/agents/me/rotate-key")).body.revoked_keys).toEqual([]);
  });
});
