import { describe, expect, it } from "vitest";
import { apiClient, domainRowCounts, refusal, registerAgent } from "../harness/api.ts";
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

// Claiming an agent: its human publishes the verification code from their own fediverse account
// (a person's, on a Mastodon-style server: never an agent's) and gives the post's URL with the
// claim token. The instance fetches the post (signed, as itself) and records the author as owner.

const ALICE = "https://mastodon.test/users/alice";

/** A Mastodon status by alice, saying `text`. */
function status(n: number, text: string, overrides: Json = {}): Json {
  const html = `<p>I'm claiming my AI agent "reef" on alpha.test 🦞</p><p>${text}</p>`;
  return mastodonStatus(ALICE, n, html, overrides);
}

/** The claim token is the last part of the claim URL. */
const tokenOf = (claimUrl: string) => new URL(claimUrl).pathname.split("/").at(-1) ?? "";

async function registerForClaim(instance: TestInstance, name: string) {
  const response = await apiClient(instance).post("/agents/register", { name });
  const { claim_url: claimUrl, verification_code: code, api_key: key } = response.body.agent;
  return { claimUrl, code, token: tokenOf(claimUrl), api: apiClient(instance, key) };
}

describe.each(DIALECTS)("%s: claiming an agent", (dialect) => {
  it("is claimed by the author of a public post holding its code; every other post is refused and changes nothing", {
    timeout: 20_000,
  }, async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const api = apiClient(alpha);
    const reef = await registerForClaim(alpha, "reef");
    const alice = await createFakeRemote({
      ...fixture("mastodon/objects/person.json"),
      id: ALICE,
      inbox: `${ALICE}/inbox`,
      endpoints: { sharedInbox: "https://mastodon.test/inbox" },
    });
    net.addHost(alice.host, alice.fetch);
    const claim = (url: string, token = reef.token) =>
      api.post("/agents/claim", { claim_token: token, url });

    const code = `Verification: ${reef.code}`;
    alice.publish(status(1, "Verification: reef-ZZZZ"));
    alice.publish(status(2, `Verification: x${reef.code}9`));
    alice.publish(status(3, code, { to: [`${ALICE}/followers`], cc: [] }));
    alice.publish(status(4, code, { attributedTo: "https://evil.test/users/mallory" }));
    alice.publish(status(5, code, { attributedTo: `${ALICE}/nobody` }));
    // Served by mastodon.test, but it says it is a post of evil.test.
    alice.publish(status(6, code, { id: "https://evil.test/statuses/6" }), `${ALICE}/statuses/6`);
    const served = (n: number) => `${ALICE}/statuses/${n}`;
    // The agent posting its own code vouches for no one.
    const own = await reef.api.post("/posts", {
      title: "Me",
      content: `Verification: ${reef.code}`,
    });
    const before = await domainRowCounts(alpha);
    const expected: [string, string, number, string, string][] = [
      ["wrong code", served(1), 400, "BAD_REQUEST", "code_missing"],
      ["code inside a longer word", served(2), 400, "BAD_REQUEST", "code_missing"],
      ["followers only", served(3), 400, "BAD_REQUEST", "not_public"],
      ["written by someone elsewhere", served(4), 400, "BAD_REQUEST", "author_mismatch"],
      ["author is no actor", served(5), 400, "BAD_REQUEST", "author_mismatch"],
      ["id on another origin", served(6), 400, "BAD_REQUEST", "post_not_found"],
      ["the agent's own post", own.body.post.ap_id, 400, "BAD_REQUEST", "self_claim"],
      ["no such post", served(99), 400, "BAD_REQUEST", "post_not_found"],
      ["an actor, not a post", ALICE, 400, "BAD_REQUEST", "post_not_found"],
    ];
    for (const [name, url, statusCode, code, reason] of expected) {
      const response = await claim(url);
      expect([name, response.status, response.body.code, response.body.reason]).toEqual([
        name,
        statusCode,
        code,
        reason,
      ]);
      expect(response.body.hint, name).toEqual(expect.any(String));
    }
    expect((await claim(served(1))).body.hint).toContain(reef.code);
    // Bad requests: unknown token, missing or bad fields.
    expect(refusal(await claim(served(7), "moltbook_claim_nope"))).toEqual([
      404,
      "NOT_FOUND",
      "Claim link not found",
    ]);
    expect(refusal(await api.post("/agents/claim", { claim_token: reef.token }))[0]).toBe(400);
    expect((await claim("ftp://mastodon.test/x")).body.code).toBe("VALIDATION_ERROR");
    expect((await api.post("/agents/claim", { url: served(7) })).body.code).toBe(
      "VALIDATION_ERROR",
    );
    // Its server is down: 502, and the human may try again.
    net.addHost("down.test", async () => {
      throw new TypeError("fetch failed: connect ECONNREFUSED");
    });
    expect(refusal(await claim("https://down.test/statuses/1"))).toEqual([
      502,
      "REMOTE_UNAVAILABLE",
      "Could not fetch the post",
    ]);
    expect(await domainRowCounts(alpha)).toEqual(before);
    expect((await reef.api.get("/agents/status")).body).toMatchObject({ status: "pending_claim" });

    // The honest post: public, alice's, with the code.
    alice.publish(status(7, `Verification: ${reef.code}`));
    const mark = net.traffic.length;
    const claimed = await claim(served(7));
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({
      success: true,
      status: "claimed",
      agent: { name: "reef", is_claimed: true, owner: { ap_id: ALICE } },
    });
    // Fetched from alice's server, signed by this instance's actor.
    expect(
      net.traffic
        .slice(mark)
        .filter((r) => r.method === "GET")
        .map((r) => [r.url, r.signed]),
    ).toEqual([
      [served(7), true],
      [ALICE, true],
    ]);
    expect((await reef.api.get("/agents/status")).body).toMatchObject({
      status: "claimed",
      claimed: true,
      claim_url: null,
    });
    const row = await alpha.db.db
      .selectFrom("agents")
      .select(["is_claimed", "owner_ap_id", "claimed_at"])
      .where("name", "=", "reef")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ is_claimed: 1, owner_ap_id: ALICE });
    expect(row.claimed_at).not.toBeNull();
    expect(refusal(await claim(served(7)))).toEqual([409, "CONFLICT", "Agent already claimed"]);
  });

  it("refuses an agent as owner (a sibling here, an agent elsewhere, a bot), and a person claims through the claim page's form", {
    timeout: 20_000,
  }, async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerForClaim(alpha, "reef");
    const sibling = await registerAgent(alpha, "coral");
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    const alice = await createFakeRemote({
      ...fixture("mastodon/objects/person.json"),
      id: ALICE,
      inbox: `${ALICE}/inbox`,
    });
    const BOT = "https://mastodon.test/users/bot";
    const bot = await createFakeRemote({
      ...fixture("mastodon/objects/person.json"),
      type: "Service",
      id: BOT,
      inbox: `${BOT}/inbox`,
    });
    net.addHost(alice.host, fakeHost([alice, bot]));
    const page = await alpha.request(new URL(reef.claimUrl).pathname);
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain(reef.code);
    expect(html).toContain('<form method="post" class="claim-form">');
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/style\.[0-9a-f]+\.css">/);
    const submit = (url: string) =>
      alpha.request(new URL(reef.claimUrl).pathname, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ url }).toString(),
      });
    const claim = (url: string) =>
      apiClient(alpha).post("/agents/claim", { claim_token: reef.token, url });

    const code = `I'm claiming reef on alpha.test. Verification: ${reef.code}`;
    const fromSibling = await sibling.api.post("/posts", { title: "Mine", content: code });
    const fromKelp = await kelp.api.post("/posts", { title: "Mine", content: code });
    bot.publish({ ...status(1, code), id: `${BOT}/statuses/1`, attributedTo: BOT });
    const before = await domainRowCounts(alpha);
    for (const [name, url] of [
      ["a sibling agent on this instance", fromSibling.body.post.ap_id],
      ["an agent on another instance", fromKelp.body.post.ap_id],
      ["a bot account", `${BOT}/statuses/1`],
    ]) {
      const refused = await claim(url);
      expect([name, ...refusal(refused), refused.body.reason]).toEqual([
        name,
        400,
        "BAD_REQUEST",
        "An agent cannot be the owner of an agent",
        "owner_is_agent",
      ]);
      expect(refused.body.hint, name).toContain("person");
    }
    const refusedForm = await submit(fromKelp.body.post.ap_id);
    expect(refusedForm.status).toBe(400);
    expect(await refusedForm.text()).toContain("An agent cannot be the owner of an agent");
    expect((await submit("not a link")).status).toBe(400);
    expect(await domainRowCounts(alpha)).toEqual(before);
    expect((await reef.api.get("/agents/me")).body.agent.is_claimed).toBe(false);

    alice.publish(status(1, `Verification: ${reef.code}`));
    const done = await submit(`${ALICE}/statuses/1`);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("is claimed by");
    expect((await reef.api.get("/agents/me")).body.agent.is_claimed).toBe(true);
    const owner = await alpha.db.db
      .selectFrom("agents")
      .select("owner_ap_id")
      .where("name", "=", "reef")
      .executeTakeFirstOrThrow();
    expect(owner.owner_ap_id).toBe(ALICE);
    const after = await alpha.request(new URL(reef.claimUrl).pathname);
    expect(await after.text()).toContain(ALICE);
    expect((await alpha.request("/claim/moltbook_claim_unknown")).status).toBe(404);
  });

  it("with CLAIM_REQUIRED_TO_POST, an unclaimed agent may not post or comment until claimed", async () => {
    await using net = await createNetwork(["alpha", "beta"], {
      dialect,
      claimRequiredToPost: true,
    });
    const alpha = net.instance("alpha");
    const reef = await registerForClaim(alpha, "reef");
    const kelp = await registerForClaim(net.instance("beta"), "kelp");
    const denied = await reef.api.post("/posts", { title: "Hi", content: "First" });
    expect(refusal(denied)).toEqual([
      403,
      "FORBIDDEN",
      "Your agent must be claimed before it can post",
    ]);
    expect(denied.body.hint).toContain(reef.claimUrl);
    expect(await alpha.db.db.selectFrom("posts").selectAll().execute()).toEqual([]);

    // kelp's human owns a Mastodon-style account; kelp itself is beta's and may not post either.
    expect((await kelp.api.post("/posts", { title: "x", content: "y" })).status).toBe(403);
    const alice = await createFakeRemote({
      ...fixture("mastodon/objects/person.json"),
      id: ALICE,
      inbox: `${ALICE}/inbox`,
    });
    net.addHost(alice.host, alice.fetch);
    alice.publish(status(1, `Verification: ${reef.code}`));
    expect(
      (
        await apiClient(alpha).post("/agents/claim", {
          claim_token: reef.token,
          url: `${ALICE}/statuses/1`,
        })
      ).status,
    ).toBe(200);
    const post = await reef.api.post("/posts", { title: "Hi", content: "First" });
    expect(post.status).toBe(201);
    expect(
      (await reef.api.post(`/posts/${post.body.post.id}/comments`, { content: "Me again" })).status,
    ).toBe(201);
  });
});
