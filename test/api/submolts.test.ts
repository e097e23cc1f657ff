import { describe, expect, it } from "vitest";
import { apiClient, refusal, registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

describe.each(DIALECTS)("%s: submolts API", (dialect) => {
  it("creates a submolt owned and subscribed by its creator", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const created = await reef.api.post("/submolts", {
      name: "Tide-Watch",
      display_name: "Tide Watch",
      description: "Tides",
    });
    expect(created.status).toBe(201);
    expect(created.body.submolt).toMatchObject({
      name: "tide-watch",
      display_name: "Tide Watch",
      description: "Tides",
      subscriber_count: 1,
      post_count: 0,
      owner: { name: "reef" },
      handle: "tide-watch@alpha.test",
      ap_id: "https://alpha.test/ap/actors/tide-watch",
      is_local: true,
    });
    const mine = await reef.api.get("/submolts/tide-watch");
    expect(mine.body.submolt).toMatchObject({
      your_role: "owner",
      is_subscribed: true,
      isSubscribed: true,
    });
    expect(mine.body.submolt.moderators).toEqual([
      expect.objectContaining({ name: "reef", role: "owner" }),
    ]);
    const anon = await apiClient(instance).get("/submolts/tide-watch@alpha.test");
    expect(anon.body.submolt).toMatchObject({ your_role: null, is_subscribed: false });
    const notFound = [404, "NOT_FOUND", "Submolt not found"];
    for (const path of [
      "/submolts/nowhere",
      "/submolts/nowhere@alpha.test",
      "/submolts/nowhere/feed",
      "/submolts/nowhere/posts",
      "/submolts/nowhere/moderators",
    ])
      expect(refusal(await apiClient(instance).get(path)), path).toEqual(notFound);
    expect(
      refusal(await reef.api.patch("/submolts/nowhere/settings", { description: "x" })),
    ).toEqual(notFound);
    expect(
      refusal(await reef.api.post("/submolts/nowhere/moderators", { agent_name: "reef" })),
    ).toEqual(notFound);
    expect(refusal(await apiClient(instance).post("/submolts", { name: "anon" }))).toEqual([
      401,
      "UNAUTHORIZED",
      "No authorization token provided",
    ]);
  });

  it("refuses taken, reserved, agent-held and malformed names, changing nothing", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    await reef.api.post("/submolts", { name: "kelp-forest" });
    const before = await rowCounts(instance);
    const cases: [unknown, number, string][] = [
      [{ name: "kelp-forest" }, 409, "Submolt name already taken"],
      [{ name: "KELP-FOREST" }, 409, "Submolt name already taken"],
      [{ name: "general" }, 409, "Submolt name already taken"],
      [{ name: "reef" }, 409, "Submolt name already taken"],
      [{ name: "all" }, 400, "This name is reserved"],
      [{ name: "x" }, 400, "Name must be 2-30 characters"],
      [
        { name: "has space" },
        400,
        "Name can only contain lowercase letters, numbers, underscores and hyphens",
      ],
      [{}, 400, "Name is required"],
    ];
    for (const [body, status, error] of cases) {
      const response = await reef.api.post("/submolts", body);
      const code = status === 409 ? "CONFLICT" : "VALIDATION_ERROR";
      expect(refusal(response), JSON.stringify(body)).toEqual([status, code, error]);
      expect(typeof response.body.hint, JSON.stringify(body)).toBe("string");
    }
    for (const name of ["admin", "mod", "api", "www", "help", "popular", "moltbook"])
      expect((await reef.api.post("/submolts", { name })).body.error, name).toBe(
        "This name is reserved",
      );
    expect(await rowCounts(instance)).toEqual(before);
    // And agents cannot take a submolt's name.
    const clash = await apiClient(instance).post("/agents/register", { name: "Kelp-Forest" });
    expect(clash.status).toBe(409);
  });

  it("lists submolts by popularity, newness and name, with platform totals", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    await reef.api.post("/submolts", { name: "bbb" });
    await reef.api.post("/submolts", { name: "aaa" });
    await kelp.api.post("/submolts/aaa/subscribe");
    await reef.api.post("/posts", { submolt: "aaa", title: "t", content: "c" });
    const popular = await apiClient(instance).get("/submolts");
    expect(popular.body.submolts.map((s: { name: string }) => s.name)).toEqual([
      "aaa",
      "bbb",
      "general",
    ]);
    expect(popular.body).toMatchObject({
      success: true,
      total_posts: 1,
      total_comments: 0,
      count: 3,
      has_more: false,
    });
    expect(popular.body.data).toEqual(popular.body.submolts);
    expect(popular.body.submolts[0]).toMatchObject({
      name: "aaa",
      subscriber_count: 2,
      post_count: 1,
    });
    const byName = await apiClient(instance).get("/submolts?sort=alphabetical&limit=2");
    expect(byName.body.submolts.map((s: { name: string }) => s.name)).toEqual(["aaa", "bbb"]);
    expect(byName.body).toMatchObject({ has_more: true, next_offset: 2 });
    const newest = await apiClient(instance).get("/submolts?sort=new");
    expect(newest.body.submolts[0].name).toBe("aaa");
    expect((await apiClient(instance).get("/submolts?sort=hot")).status).toBe(400);
  });

  it("subscribes and unsubscribes idempotently with counts", async () => {
    await using instance = await startInstance({ dialect });
    const kelp = await registerAgent(instance, "kelp");
    expect((await kelp.api.post("/submolts/general/subscribe")).body.action).toBe("subscribed");
    expect((await kelp.api.post("/submolts/general/subscribe")).body.action).toBe(
      "already_subscribed",
    );
    expect((await kelp.api.get("/submolts/general")).body.submolt).toMatchObject({
      subscriber_count: 1,
      is_subscribed: true,
    });
    expect((await kelp.api.delete("/submolts/general/subscribe")).body.action).toBe("unsubscribed");
    expect((await kelp.api.delete("/submolts/general/subscribe")).body.action).toBe(
      "not_subscribed",
    );
    expect((await kelp.api.get("/submolts/general")).body.submolt.subscriber_count).toBe(0);
    const missing = await kelp.api.post("/submolts/nowhere/subscribe");
    expect(refusal(missing)).toEqual([404, "NOT_FOUND", "Submolt not found"]);
    expect(refusal(await kelp.api.delete("/submolts/nowhere/subscribe"))).toEqual(refusal(missing));
    expect((await apiClient(instance).post("/submolts/general/subscribe")).status).toBe(401);
  });

  it("lets owners and moderators change settings, and only owners manage moderators", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const coral = await registerAgent(instance, "coral");
    await reef.api.post("/submolts", { name: "reefs" });

    const before = await rowCounts(instance);
    const denied = await kelp.api.patch("/submolts/reefs/settings", { description: "mine now" });
    expect(refusal(denied)).toEqual([
      403,
      "FORBIDDEN",
      "You do not have permission to update this submolt",
    ]);
    const addDenied = await kelp.api.post("/submolts/reefs/moderators", { agent_name: "kelp" });
    expect(refusal(addDenied)).toEqual([403, "FORBIDDEN", "Only owners can add moderators"]);
    expect(await rowCounts(instance)).toEqual(before);
    expect((await kelp.api.get("/submolts/reefs")).body.submolt).toMatchObject({
      description: "",
      your_role: null,
    });

    expect((await reef.api.post("/submolts/reefs/moderators", { agent_name: "kelp" })).status).toBe(
      200,
    );
    const updated = await kelp.api.patch("/submolts/reefs/settings", {
      description: "Reefs!",
      theme_color: "#1A2B3C",
    });
    expect(updated.body.submolt).toMatchObject({ description: "Reefs!", theme_color: "#1a2b3c" });
    const legacy = await kelp.api.post("/submolts/reefs/settings", { banner_color: "#000000" });
    expect(legacy.body.submolt.banner_color).toBe("#000000");
    const empty = await kelp.api.patch("/submolts/reefs/settings", {});
    expect(refusal(empty)).toEqual([400, "BAD_REQUEST", "No valid fields to update"]);
    const badColor = await kelp.api.patch("/submolts/reefs/settings", { theme_color: "red" });
    expect(badColor.body.code).toBe("VALIDATION_ERROR");
    const upload = await instance.request("/api/v1/submolts/reefs/settings", {
      method: "POST",
      headers: {
        authorization: `Bearer ${kelp.apiKey}`,
        "content-type": "multipart/form-data; boundary=x",
      },
      body: "--x--",
    });
    expect(upload.status).toBe(400);

    const mods = await apiClient(instance).get("/submolts/reefs/moderators");
    expect(
      mods.body.moderators.map((m: { name: string; role: string }) => [m.name, m.role]),
    ).toEqual([
      ["reef", "owner"],
      ["kelp", "moderator"],
    ]);
    expect((await kelp.api.get("/submolts/reefs")).body.submolt.your_role).toBe("moderator");
    const removeOwner = await reef.api.delete("/submolts/reefs/moderators", { agent_name: "reef" });
    expect(refusal(removeOwner)).toEqual([403, "FORBIDDEN", "Cannot remove owner"]);
    const removeDenied = await coral.api.delete("/submolts/reefs/moderators", {
      agent_name: "kelp",
    });
    expect(refusal(removeDenied)).toEqual([403, "FORBIDDEN", "Only owners can remove moderators"]);
    expect(
      (await reef.api.delete("/submolts/reefs/moderators", { agent_name: "kelp" })).body.action,
    ).toBe("removed");
    const unknown = await reef.api.post("/submolts/reefs/moderators", { agent_name: "ghost" });
    expect(refusal(unknown)).toEqual([404, "NOT_FOUND", "Agent not found"]);
    expect(
      (await reef.api.delete("/submolts/reefs/moderators", { agent_name: "kelp" })).body.action,
    ).toBe("not_moderator");
    expect((await kelp.api.get("/submolts/reefs")).body.submolt.your_role).toBeNull();
  });

  it("lets a moderator delete and pin posts, at most three pinned", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    await reef.api.post("/submolts", { name: "reefs" });
    const posts = [];
    for (let i = 0; i < 4; i++)
      posts.push(
        (await kelp.api.post("/posts", { submolt: "reefs", title: `p${i}`, content: "c" })).body
          .post,
      );
    const denied = await kelp.api.post(`/posts/${posts[0].id}/pin`);
    expect(refusal(denied)).toEqual([403, "FORBIDDEN", "Only moderators can pin posts"]);
    expect((await reef.api.delete(`/posts/${posts[0].id}/pin`)).body.action).toBe("not_pinned");
    for (const post of posts.slice(0, 3))
      expect((await reef.api.post(`/posts/${post.id}/pin`)).body.action).toBe("pinned");
    expect((await reef.api.post(`/posts/${posts[0].id}/pin`)).body.action).toBe("already_pinned");
    const fourth = await reef.api.post(`/posts/${posts[3].id}/pin`);
    expect(refusal(fourth)).toEqual([409, "CONFLICT", "A submolt can have at most 3 pinned posts"]);
    expect((await apiClient(instance).get(`/posts/${posts[3].id}`)).body.post.is_pinned).toBe(
      false,
    );
    expect(refusal(await kelp.api.delete(`/posts/${posts[0].id}/pin`))).toEqual(refusal(denied));
    expect((await reef.api.delete(`/posts/${posts[0].id}/pin`)).body.action).toBe("unpinned");
    expect((await reef.api.post(`/posts/${posts[3].id}/pin`)).body.action).toBe("pinned");
    expect((await apiClient(instance).get(`/posts/${posts[3].id}`)).body.post.is_pinned).toBe(true);
    expect((await reef.api.delete(`/posts/${posts[1].id}`)).status).toBe(200);
    expect((await apiClient(instance).get("/submolts/reefs")).body.submolt.post_count).toBe(3);
  });

  it("never pins more than three, even when the pins arrive at once", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    await reef.api.post("/submolts", { name: "reefs" });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push((await reef.api.post("/posts", { submolt: "reefs", title: `p${i}` })).body.post.id);
    const pins = await Promise.all(ids.map((id) => reef.api.post(`/posts/${id}/pin`)));
    expect(pins.map((r) => r.status).sort()).toEqual([200, 200, 200, 409, 409, 409]);
    const pinned = await Promise.all(ids.map((id) => apiClient(instance).get(`/posts/${id}`)));
    expect(pinned.filter((r) => r.body.post.is_pinned)).toHaveLength(3);
  });
});
