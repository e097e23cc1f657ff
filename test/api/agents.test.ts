import { describe, expect, it } from "vitest";
import { hashSecret } from "../../src/domain/credentials.ts";
import { apiClient, refusal, registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

describe.each(DIALECTS)("%s: agents API", (dialect) => {
  it("registers an agent, shows the key once and stores only its hash", async () => {
    await using instance = await startInstance({ dialect });
    const response = await apiClient(instance).post("/agents/register", {
      name: "Reef_Bot-1",
      description: "Counts fish",
    });
    expect(response.status).toBe(201);
    const { agent } = response.body;
    expect(response.body).toMatchObject({ success: true, status: "pending_claim" });
    expect(response.body.important).toContain("SAVE YOUR API KEY");
    expect(agent).toMatchObject({
      name: "Reef_Bot-1",
      description: "Counts fish",
      karma: 0,
      is_claimed: false,
      handle: "reef_bot-1@alpha.test",
      ap_id: "https://alpha.test/ap/actors/reef_bot-1",
      profile_url: "https://alpha.test/u/Reef_Bot-1",
    });
    expect(agent.api_key).toMatch(/^moltbook_sk_[A-Za-z0-9_-]{32}$/);
    expect(agent.claim_url).toMatch(/^https:\/\/alpha\.test\/claim\/moltbook_claim_/);
    expect(agent.verification_code).toMatch(/^[a-z]+-[A-Z0-9]{4}$/);
    expect(response.body.skill_files.skill_md).toBe("https://alpha.test/skill.md");
    expect(response.body.tweet_template).toBe(
      `I'm claiming my AI agent "Reef_Bot-1" on alpha.test 🦞\n\nVerification: ${agent.verification_code}`,
    );

    const row = await instance.db.db
      .selectFrom("agents")
      .selectAll()
      .where("id", "=", agent.id)
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(agent.api_key);
    expect(stored).not.toContain(agent.claim_url.split("/").at(-1));

    expect(Date.parse(agent.created_at)).not.toBeNaN();

    const me = await apiClient(instance, agent.api_key).get("/agents/me");
    expect(me.status).toBe(200);
    expect(me.body.success).toBe(true);
    expect(me.body.agent).not.toHaveProperty("api_key");
    expect(me.body.agent).toMatchObject({
      id: agent.id,
      name: "Reef_Bot-1",
      display_name: null,
      description: "Counts fish",
      karma: 0,
      follower_count: 0,
      following_count: 0,
      posts_count: 0,
      comments_count: 0,
      is_claimed: false,
      is_active: true,
      created_at: agent.created_at,
      handle: "reef_bot-1@alpha.test",
      ap_id: "https://alpha.test/ap/actors/reef_bot-1",
    });
    expect(Date.parse(me.body.agent.last_active)).not.toBeNaN();
  });

  it("refuses taken names case-insensitively, bad names, and reserved names, changing nothing", async () => {
    await using instance = await startInstance({ dialect });
    await registerAgent(instance, "Kelp");
    const before = await rowCounts(instance);
    const anon = apiClient(instance);
    const taken = await anon.post("/agents/register", { name: "kelp" });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({
      success: false,
      error: "Agent name already taken",
      code: "CONFLICT",
      hint: 'The name "kelp" is already registered. Try a different name.',
    });
    const cases: [unknown, string][] = [
      [{}, "Name is required"],
      [{ name: "x" }, "Name must be 2-32 characters"],
      [{ name: "a".repeat(33) }, "Name must be 2-32 characters"],
      [{ name: "bad name!" }, "Name can only contain letters, numbers, underscores and hyphens"],
      [{ name: 42 }, "Name must be a string"],
      [{ name: "admin" }, "This name is reserved"],
      [{ name: "ME" }, "This name is reserved"],
      [{ name: "general" }, "Agent name already taken"],
    ];
    for (const [body, error] of cases) {
      const response = await anon.post("/agents/register", body);
      expect(response.body.error, JSON.stringify(body)).toBe(error);
      expect(response.status).toBe(error === "Agent name already taken" ? 409 : 400);
    }
    const notObject = await anon.post("/agents/register", ["name"]);
    expect(notObject.status).toBe(400);
    expect(await rowCounts(instance)).toEqual(before);
  });

  it("authenticates with Bearer or X-API-Key and refuses bad credentials with 401", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const viaHeader = await instance.request("/api/v1/agents/me", {
      headers: { "x-api-key": reef.apiKey },
    });
    expect(viaHeader.status).toBe(200);
    const lowerScheme = await instance.request("/api/v1/agents/me", {
      headers: { authorization: `bearer ${reef.apiKey}` },
    });
    expect(lowerScheme.status).toBe(200);

    const none = await apiClient(instance).get("/agents/me");
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({
      success: false,
      code: "UNAUTHORIZED",
      error: "No authorization token provided",
    });
    const wrong = await apiClient(instance, "moltbook_sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").get(
      "/agents/me",
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("Invalid or expired token");
    const malformed = await instance.request("/api/v1/agents/me", {
      headers: { authorization: "Token abc def" },
    });
    expect(malformed.status).toBe(401);
    expect((await malformed.json()).error).toBe("Invalid token format");
    const notOurs = await apiClient(instance, "sk-not-a-moltbook-key-at-all").get("/agents/me");
    expect(refusal(notOurs)).toEqual([401, "UNAUTHORIZED", "Invalid or expired token"]);
  });

  it("looks up any key beginning moltbook_, such as the open-source server's moltbook_<hex>", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const legacy = `moltbook_${"ab12".repeat(16)}`;
    await instance.db.db
      .updateTable("agents")
      .set({ api_key_hash: hashSecret(legacy) })
      .where("id", "=", reef.id)
      .execute();
    const me = await apiClient(instance, legacy).get("/agents/me");
    expect([me.status, me.body.agent?.name]).toEqual([200, "reef"]);
    expect((await reef.api.get("/agents/me")).status).toBe(401);
  });

  it("updates the caller's profile and refuses an empty or invalid update", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const updated = await reef.api.patch("/agents/me", {
      description: "New bio",
      display_name: "Reef 🐟",
      metadata: { model: "small" },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.agent).toMatchObject({
      description: "New bio",
      display_name: "Reef 🐟",
      metadata: { model: "small" },
    });
    const camel = await reef.api.patch("/agents/me", { displayName: "Reefy" });
    expect(camel.body.agent.display_name).toBe("Reefy");

    const avatar = await reef.api.patch("/agents/me", { avatar_url: "https://example.org/r.png" });
    expect(avatar.body.agent.avatar_url).toBe("https://example.org/r.png");

    const before = await rowCounts(instance);
    const empty = await reef.api.patch("/agents/me", {});
    expect(refusal(empty)).toEqual([400, "BAD_REQUEST", "No valid fields to update"]);
    expect(typeof empty.body.hint).toBe("string");
    const unknownOnly = await reef.api.patch("/agents/me", { karma: 1_000_000 });
    expect(refusal(unknownOnly)).toEqual([400, "BAD_REQUEST", "No valid fields to update"]);
    expect((await reef.api.get("/agents/me")).body.agent.karma).toBe(0);
    expect(await rowCounts(instance)).toEqual(before);
    const invalid = await reef.api.patch("/agents/me", {
      display_name: 5,
      avatar_url: "javascript:alert(1)",
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe("VALIDATION_ERROR");
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "avatar_url",
      "display_name",
    ]);
    expect((await reef.api.get("/agents/me")).body.agent.display_name).toBe("Reefy");
  });

  it("reports claim status with the claim URL given at registration, never storing its token", async () => {
    await using instance = await startInstance({ dialect });
    const registered = await apiClient(instance).post("/agents/register", { name: "reef" });
    const { api_key: key, claim_url: claimUrl, verification_code: code } = registered.body.agent;
    const reef = apiClient(instance, key);
    const status = await reef.get("/agents/status");
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      success: true,
      status: "pending_claim",
      claimed: false,
      agent: { name: "reef" },
      claim_url: claimUrl,
      verification_code: code,
    });
    expect(status.body.hint).toContain("claim URL");
    // Another agent gets another claim URL.
    const kelp = await registerAgent(instance, "kelp");
    expect((await kelp.api.get("/agents/status")).body.claim_url).not.toBe(claimUrl);
    const token = claimUrl.split("/").at(-1);
    const row = await instance.db.db
      .selectFrom("agents")
      .selectAll()
      .where("name", "=", "reef")
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token);

    await instance.db.db
      .updateTable("agents")
      .set({ is_claimed: 1 })
      .where("name", "=", "reef")
      .execute();
    const claimed = await reef.get("/agents/status");
    expect(claimed.body).toMatchObject({
      success: true,
      status: "claimed",
      claimed: true,
      claim_url: null,
    });
    expect(typeof claimed.body.hint).toBe("string");
    expect((await apiClient(instance).get("/agents/status")).status).toBe(401);
  });

  it("rotates the key: the new one works at once and the old one is dead", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const rotated = await reef.api.post("/agents/me/rotate-key");
    expect(rotated.status).toBe(200);
    expect(rotated.body.api_key).toMatch(/^moltbook_sk_/);
    expect(rotated.body.api_key).not.toBe(reef.apiKey);
    expect((await reef.api.get("/agents/me")).status).toBe(401);
    expect((await apiClient(instance, rotated.body.api_key).get("/agents/me")).status).toBe(200);
  });

  it("follows and unfollows with counts, idempotently, and never oneself", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    expect((await reef.api.post("/agents/KELP/follow")).body).toMatchObject({
      success: true,
      action: "followed",
    });
    expect((await reef.api.post("/agents/kelp/follow")).body.action).toBe("already_following");
    expect((await reef.api.get("/agents/me")).body.agent.following_count).toBe(1);
    const profile = await reef.api.get("/agents/profile?name=kelp");
    expect(profile.body).toMatchObject({
      success: true,
      is_following: true,
      agent: { name: "kelp", follower_count: 1 },
    });
    expect(Array.isArray(profile.body.recentPosts)).toBe(true);

    const before = await rowCounts(instance);
    const self = await reef.api.post("/agents/reef/follow");
    expect(refusal(self)).toEqual([400, "BAD_REQUEST", "Cannot follow yourself"]);
    expect(refusal(await reef.api.post("/agents/me/follow"))).toEqual(refusal(self));
    const missing = await reef.api.post("/agents/nobody/follow");
    expect(refusal(missing)).toEqual([404, "NOT_FOUND", "Agent not found"]);
    expect(refusal(await reef.api.delete("/agents/nobody/follow"))).toEqual(refusal(missing));
    expect(await rowCounts(instance)).toEqual(before);
    expect((await reef.api.get("/agents/me")).body.agent.following_count).toBe(1);

    expect((await reef.api.delete("/agents/kelp/follow")).body.action).toBe("unfollowed");
    expect((await reef.api.delete("/agents/kelp/follow")).body.action).toBe("not_following");
    expect((await kelp.api.get("/agents/me")).body.agent.follower_count).toBe(0);
    expect((await apiClient(instance).post("/agents/kelp/follow")).status).toBe(401);
  });

  it("shows profiles to anyone with recent posts and comments, 404 for unknown names and 400 without a name", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const post = (await reef.api.post("/posts", { title: "Tide log", content: "x" })).body.post;
    await reef.api.post(`/posts/${post.id}/comments`, { content: "High at noon" });
    const anon = apiClient(instance);
    const profile = await anon.get("/agents/profile?name=reef@alpha.test");
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      success: true,
      agent: { name: "reef", posts_count: 1, comments_count: 1 },
      is_following: false,
      isFollowing: false,
    });
    expect(profile.body.recentPosts).toEqual([
      expect.objectContaining({ id: post.id, title: "Tide log", submolt: { name: "general" } }),
    ]);
    expect(profile.body.recentComments).toEqual([
      expect.objectContaining({
        content: "High at noon",
        post: { id: post.id, title: "Tide log" },
      }),
    ]);
    expect(refusal(await anon.get("/agents/profile?name=ghost"))).toEqual([
      404,
      "NOT_FOUND",
      "Agent not found",
    ]);
    const missing = await anon.get("/agents/profile");
    expect(refusal(missing)).toEqual([
      400,
      "VALIDATION_ERROR",
      "The name query parameter is required",
    ]);
  });

  it("answers the short paths some Moltbook clients call: /me, /claim/status, /agents/NAME", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const anonymous = apiClient(instance);

    const me = await reef.api.get("/me");
    expect(me.status).toBe(200);
    expect(me.body).toEqual((await reef.api.get("/agents/me")).body);
    expect(refusal(await anonymous.get("/me"))[0]).toBe(401);

    const updated = await reef.api.put("/me", { description: "Counts tides" });
    expect(updated.body.agent.description).toBe("Counts tides");
    const patched = await reef.api.patch("/me", { display_name: "Reef" });
    expect(patched.body.agent).toMatchObject({ description: "Counts tides", display_name: "Reef" });
    const before = await rowCounts(instance);
    expect(refusal(await reef.api.put("/me", { description: 42 }))[0]).toBe(400);
    expect(await rowCounts(instance)).toEqual(before);

    const status = await reef.api.get("/claim/status");
    expect(status.body).toEqual((await reef.api.get("/agents/status")).body);
    expect(status.body.status).toBe("pending_claim");
    expect(refusal(await anonymous.get("/claim/status"))[0]).toBe(401);

    const profile = await kelp.api.get("/agents/reef");
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual((await kelp.api.get("/agents/profile?name=reef")).body);
    expect(profile.body.agent).toMatchObject({ name: "reef", display_name: "Reef" });
    expect((await anonymous.get("/agents/REEF")).body.agent.name).toBe("reef");
    expect(refusal(await anonymous.get("/agents/nobody"))).toEqual([
      404,
      "NOT_FOUND",
      "Agent not found",
    ]);
    // The caller's own routes are not names.
    expect((await reef.api.get("/agents/me")).body.signing_keys).toBeDefined();
    expect((await reef.api.get("/agents/status")).body.status).toBe("pending_claim");
  });
});
