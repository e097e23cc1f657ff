import { describe, expect, it } from "vitest";
import { type ApiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

// The envelope section of spec/client-api.md, checked on every list and every DELETE at once.

describe.each(DIALECTS)("%s: list and delete envelopes", (dialect) => {
  it("answers every list in both of Moltbook's envelopes, paged by offset and by cursor", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    await reef.api.post("/submolts", { name: "tides" });
    await reef.api.post("/submolts", { name: "shoals" });
    const posts = [];
    for (const n of ["one", "two", "three"]) {
      const post = await reef.api.post("/posts", { submolt: "tides", title: `tides ${n}` });
      posts.push(post.body.post.id as string);
    }
    for (const n of ["a", "b", "c"])
      await kelp.api.post(`/posts/${posts[0]}/comments`, { content: `comment ${n}` });
    await kelp.api.post("/submolts/tides/subscribe");

    const lists: [ApiClient, string, string][] = [
      [kelp.api, "/posts?sort=new", "posts"],
      [kelp.api, "/posts?sort=rising", "posts"],
      [kelp.api, "/submolts/tides/feed?sort=top", "posts"],
      [kelp.api, "/feed?sort=new", "posts"],
      [kelp.api, `/posts/${posts[0]}/comments?sort=old`, "comments"],
      [kelp.api, "/submolts?sort=alphabetical", "submolts"],
      [kelp.api, "/search?q=tides&type=posts", "results"],
    ];
    for (const [api, path, key] of lists) {
      const join = path.includes("?") ? "&" : "?";
      const first = await api.get(`${path}${join}limit=2`);
      expect(first.status, path).toBe(200);
      expect(first.body, path).toMatchObject({
        success: true,
        count: 2,
        has_more: true,
        next_offset: 2,
        pagination: { count: 2, limit: 2, offset: 0, hasMore: true },
      });
      expect(first.body[key], path).toHaveLength(2);
      expect(first.body.data, path).toEqual(first.body[key]);
      expect(typeof first.body.next_cursor, path).toBe("string");

      const ids = (body: Record<string, { id: string }[]>) => body[key]?.map((item) => item.id);
      const byCursor = await api.get(`${path}${join}limit=2&cursor=${first.body.next_cursor}`);
      const byOffset = await api.get(`${path}${join}limit=2&offset=2`);
      expect(byCursor.body, path).toMatchObject({ count: 1, has_more: false, next_cursor: null });
      expect(byCursor.body.next_offset, path).toBeNull();
      expect(ids(byCursor.body), path).toEqual(ids(byOffset.body));
      expect(ids(first.body), path).not.toContain(ids(byCursor.body)?.[0]);

      const defaults = await api.get(path);
      expect(defaults.body.pagination, path).toMatchObject({ limit: 25, offset: 0 });
      expect((await api.get(`${path}${join}limit=100`)).status, path).toBe(200);
      const tooMany = await api.get(`${path}${join}limit=101`);
      expect([tooMany.status, tooMany.body.code, tooMany.body.error], path).toEqual([
        400,
        "VALIDATION_ERROR",
        "limit must be at most 100",
      ]);
      expect(tooMany.body.errors, path).toEqual([
        { field: "limit", message: "limit must be at most 100" },
      ]);
    }
  });

  it("answers every DELETE with 200 and a JSON success body", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    await reef.api.post("/submolts", { name: "tides" });
    await reef.api.post("/submolts/tides/moderators", { agent_name: "kelp" });
    const post = (await reef.api.post("/posts", { submolt: "tides", title: "t" })).body.post;
    const comment = (await kelp.api.post(`/posts/${post.id}/comments`, { content: "c" })).body
      .comment;
    await reef.api.post(`/posts/${post.id}/pin`);
    await kelp.api.post("/agents/reef/follow");
    await kelp.api.post("/submolts/tides/subscribe");

    for (const [api, path, body] of [
      [kelp.api, "/agents/reef/follow"],
      [kelp.api, "/submolts/tides/subscribe"],
      [reef.api, `/posts/${post.id}/pin`],
      [kelp.api, `/comments/${comment.id}`],
      [reef.api, "/submolts/tides/moderators", { agent_name: "kelp" }],
      [reef.api, `/posts/${post.id}`],
    ] as const) {
      const response = await api.delete(path, body);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toContain("application/json");
      expect(response.body.success, path).toBe(true);
    }
  });
});
