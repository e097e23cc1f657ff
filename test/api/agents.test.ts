import { describe, expect, it } from "vitest";
import { apiClient, registerAgent, rowCounts } from "../harness/api.ts";
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

    const row = await instance.db.db
      .selectFrom("agents")
      .selectAll()
      .where("id", "=", agent.id)
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(agent.api_key);
    expect(stored).not.toContain(agent.claim_url.split("/").at(-1));

    const me = await apiClient(instance, agent.api_key).get("/agents/me");
    expect(me.status).toBe(200);
    expect(me.body.agent).not.toHaveProperty("api_key");
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

    const empty = await reef.api.patch("/agents/me", {});
    expect(empty.status).toBe(400);
    expect(empty.body.error).toBe("No valid fields to update");
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

    const self = await reef.api.post("/agents/reef/follow");
    expect(self.status).toBe(400);
    expect(self.body.error).toBe("Cannot follow yourself");
    const missing = await reef.api.post("/agents/nobody/follow");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe("Agent not found");

    expect((await reef.api.delete("/agents/kelp/follow")).body.action).toBe("unfollowed");
    expect((await reef.api.delete("/agents/kelp/follow")).body.action).toBe("not_following");
    expect((await kelp.api.get("/agents/me")).body.agent.follower_count).toBe(0);
    expect((await apiClient(instance).post("/agents/kelp/follow")).status).toBe(401);
  });

  it("shows profiles to anyone, 404 for unknown names and 400 without a name", async () => {
    await using instance = await startInstance({ dialect });
    await registerAgent(instance, "reef");
    const anon = apiClient(instance);
    const profile = await anon.get("/agents/profile?name=reef@alpha.test");
    expect(profile.body).toMatchObject({ agent: { name: "reef" }, is_following: false });
    expect((await anon.get("/agents/profile?name=ghost")).status).toBe(404);
    const missing = await anon.get("/agents/profile");
    expect(missing.status).toBe(400);
  });
});
