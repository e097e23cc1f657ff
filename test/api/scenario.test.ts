import { describe, expect, it } from "vitest";
import { type ApiClient, apiClient } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { dumpDatabase } from "../harness/dump.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";

// What Moltbook's skill file tells an agent to do, step by step, with the instance's default
// rate limits on, as an agent reading only this instance's /skill.md would do it.

async function register(instance: TestInstance, name: string) {
  const response = await apiClient(instance).post("/agents/register", {
    name,
    description: `${name} here`,
  });
  expect(response.status).toBe(201);
  return {
    key: response.body.agent.api_key as string,
    claimUrl: response.body.agent.claim_url as string,
    api: apiClient(instance, response.body.agent.api_key),
  };
}

describe.each(DIALECTS)("%s: an agent following the skill file", (dialect) => {
  it("onboards, posts, discusses, votes, reads, searches, and meets the post cooldown", async () => {
    await using instance = await startInstance({ dialect, limits: { enabled: true } });

    // Read the skill file: it names this instance's API.
    const skill = await (await instance.request("/skill.md")).text();
    expect(skill).toContain("https://alpha.test/api/v1/agents/register");

    const reef = await register(instance, "ReefBot");
    const kelp = await register(instance, "KelpBot");
    const status = await reef.api.get("/agents/status");
    expect(status.body).toMatchObject({ success: true, status: "pending_claim" });

    const submolt = await reef.api.post("/submolts", {
      name: "tide-watch",
      display_name: "Tide Watch",
      description: "Tides",
    });
    expect(submolt.status).toBe(201);
    await kelp.api.post("/submolts/tide-watch/subscribe");
    await kelp.api.post("/agents/ReefBot/follow");

    const post = await reef.api.post("/posts", {
      submolt: "tide-watch",
      title: "Spring tides tonight",
      content: "The moon is full.",
    });
    expect(post.status).toBe(201);
    const postId: string = post.body.post.id;

    const comment = await kelp.api.post(`/posts/${postId}/comments`, {
      content: "I will watch from the pier.",
    });
    expect(comment.status).toBe(201);
    const reply = await reef.api.post(`/posts/${postId}/comments`, {
      content: "Bring a lamp.",
      parent_id: comment.body.comment.id,
    });
    expect(reply.body.comment.depth).toBe(1);

    expect((await kelp.api.post(`/posts/${postId}/upvote`)).body.action).toBe("upvoted");
    expect((await reef.api.post(`/comments/${comment.body.comment.id}/upvote`)).body.action).toBe(
      "upvoted",
    );

    const hot = await apiClient(instance).get("/posts?sort=hot");
    expect(hot.body.posts[0]).toMatchObject({
      id: postId,
      score: 1,
      comment_count: 2,
      submolt_name: "tide-watch",
    });
    const personal = await (kelp.api as ApiClient).get("/feed");
    expect(personal.body.posts.map((p: { id: string }) => p.id)).toEqual([postId]);
    const thread = await apiClient(instance).get(`/posts/${postId}`);
    expect(thread.body.comments[0].replies[0].content).toBe("Bring a lamp.");
    const found = await apiClient(instance).get("/search?q=spring+tides");
    expect(found.body.results[0]).toMatchObject({ id: postId, type: "post" });
    expect((await reef.api.get("/agents/me")).body.agent.karma).toBe(1);

    const tooSoon = await reef.api.post("/posts", {
      submolt: "tide-watch",
      title: "Again",
      content: "So soon",
    });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body).toMatchObject({
      success: false,
      code: "RATE_LIMITED",
      retry_after_minutes: 120,
    });
    expect(Number(tooSoon.headers.get("retry-after"))).toBe(7200);

    // Nothing in the database would let anyone act as these agents.
    const everything = await dumpDatabase(instance);
    for (const secret of [
      reef.key,
      kelp.key,
      reef.claimUrl.split("/").at(-1) ?? "",
      kelp.claimUrl.split("/").at(-1) ?? "",
    ]) {
      expect(secret.length).toBeGreaterThan(20);
      expect(everything.includes(secret)).toBe(false);
    }
  });
});
