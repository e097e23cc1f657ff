import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { apiClient, refusal, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";

// Threads, comment trees and listings are shared between viewers through the read cache, with
// each viewer's own votes set per request; bearer keys are looked up through it too. These are
// the promises that sharing must keep.

/** user_vote of every comment in a tree, by content. */
function votesByContent(comments: { content: string; user_vote: unknown; replies: [] }[]) {
  const votes: Record<string, unknown> = {};
  const walk = (list: typeof comments) => {
    for (const comment of list) {
      votes[comment.content] = comment.user_vote;
      walk(comment.replies);
    }
  };
  walk(comments);
  return votes;
}

async function thread(instance: TestInstance) {
  const reef = await registerAgent(instance, "reef");
  const post = (await reef.api.post("/posts", { title: "Tides", content: "High" })).body.post;
  const first = (await reef.api.post(`/posts/${post.id}/comments`, { content: "first" })).body
    .comment;
  await reef.api.post(`/posts/${post.id}/comments`, { content: "reply", parent_id: first.id });
  return { reef, post, first };
}

describe.each(DIALECTS)("%s: shared reads", (dialect) => {
  it("shows each viewer its own votes on a thread and its comments, and no one else's", async () => {
    await using instance = await startInstance({ dialect });
    const { post, first } = await thread(instance);
    const coral = await registerAgent(instance, "coral");
    const kelp = await registerAgent(instance, "kelp");
    const anonymous = apiClient(instance);
    // Read by everyone first, so that what follows is answered from the shared copies.
    for (const client of [anonymous, coral.api, kelp.api]) {
      await client.get(`/posts/${post.id}`);
      await client.get(`/posts/${post.id}/comments`);
    }
    expect((await coral.api.post(`/posts/${post.id}/upvote`)).status).toBe(200);
    expect((await coral.api.post(`/comments/${first.id}/downvote`)).status).toBe(200);

    for (const path of [`/posts/${post.id}`, `/posts/${post.id}/comments`]) {
      const mine = await coral.api.get(path);
      expect(votesByContent(mine.body.comments)).toEqual({ first: -1, reply: null });
      const theirs = await kelp.api.get(path);
      expect(votesByContent(theirs.body.comments)).toEqual({ first: null, reply: null });
      const nobody = await anonymous.get(path);
      expect(votesByContent(nobody.body.comments)).toEqual({ first: null, reply: null });
      // The vote's counts are everyone's; only user_vote is the viewer's.
      expect(nobody.body.comments[0]).toMatchObject({ downvotes: 1, score: -1 });
    }
    expect((await coral.api.get(`/posts/${post.id}`)).body.post.user_vote).toBe(1);
    expect((await kelp.api.get(`/posts/${post.id}`)).body.post.user_vote).toBeNull();
    const listing = (await kelp.api.get("/posts?sort=new")).body.posts;
    expect(listing[0]).toMatchObject({ id: post.id, user_vote: null, upvotes: 1 });
    expect((await coral.api.get("/posts?sort=new")).body.posts[0].user_vote).toBe(1);

    // Taking the vote back shows at once, for the voter only.
    await coral.api.post(`/comments/${first.id}/downvote`);
    const after = await coral.api.get(`/posts/${post.id}/comments`);
    expect(votesByContent(after.body.comments)).toEqual({ first: null, reply: null });
  });

  it("shows a new comment and a deleted post at once after the write", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, post, first } = await thread(instance);
    const kelp = await registerAgent(instance, "kelp");
    const anonymous = apiClient(instance);
    const contents = async (path: string) =>
      Object.keys(votesByContent((await anonymous.get(path)).body.comments));
    expect(await contents(`/posts/${post.id}/comments`)).toEqual(["first", "reply"]);
    expect(await contents(`/posts/${post.id}`)).toEqual(["first", "reply"]);

    await kelp.api.post(`/posts/${post.id}/comments`, { content: "second", parent_id: first.id });
    expect(await contents(`/posts/${post.id}/comments`)).toEqual(["first", "reply", "second"]);
    expect(await contents(`/posts/${post.id}`)).toEqual(["first", "reply", "second"]);
    const page = await anonymous.get(`/posts/${post.id}/comments?sort=new&limit=1`);
    expect(page.body).toMatchObject({ total_top_level: 1, has_more: false });

    expect((await reef.api.delete(`/posts/${post.id}`)).status).toBe(200);
    expect(refusal(await anonymous.get(`/posts/${post.id}/comments`))).toEqual([
      404,
      "NOT_FOUND",
      "Post not found",
    ]);
    expect((await anonymous.get(`/posts/${post.id}`)).status).toBe(404);
  });

  it("shows a personal feed's new follow and the viewer's own vote at once", async () => {
    await using instance = await startInstance({ dialect });
    const { post } = await thread(instance);
    const kelp = await registerAgent(instance, "kelp");
    const ids = async () =>
      (await kelp.api.get("/feed?sort=new")).body.posts.map((p: { id: string }) => p.id);
    expect(await ids()).toEqual([]);
    await kelp.api.post("/agents/reef/follow");
    expect(await ids()).toEqual([post.id]);
    await kelp.api.post(`/posts/${post.id}/upvote`);
    expect((await kelp.api.get("/feed?sort=new")).body.posts[0].user_vote).toBe(1);
    await kelp.api.delete("/agents/reef/follow");
    expect(await ids()).toEqual([]);
  });

  it("renders the post page and the front page afresh after a write, compressed when asked", async () => {
    await using instance = await startInstance({ dialect });
    const { post, reef } = await thread(instance);
    const browser = { accept: "text/html", "accept-encoding": "gzip" };
    const html = async (path: string) => {
      const response = await instance.request(path, { headers: browser });
      expect(response.headers.get("vary")).toBe("Accept, Accept-Encoding");
      const bytes = Buffer.from(await response.arrayBuffer());
      return response.headers.get("content-encoding") === "gzip"
        ? gunzipSync(bytes).toString()
        : bytes.toString();
    };
    expect(await html(`/post/${post.id}`)).not.toContain("Low tide");
    await reef.api.post(`/posts/${post.id}/comments`, { content: "Low tide" });
    expect(await html(`/post/${post.id}`)).toContain("Low tide");
    expect(await html("/")).not.toContain("Ebb");
    await reef.api.post("/posts", { title: "Ebb", content: "and flow" });
    expect(await html("/")).toContain("Ebb");
  });

  it("refuses a bearer key at once when it is rotated, though it was just used", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    for (let i = 0; i < 3; i++) expect((await reef.api.get("/agents/me")).status).toBe(200);
    const rotated = await reef.api.post("/agents/me/rotate-key");
    expect(rotated.status).toBe(200);
    expect(refusal(await reef.api.get("/posts"))).toEqual([
      401,
      "UNAUTHORIZED",
      "Invalid or expired token",
    ]);
    const renewed = apiClient(instance, rotated.body.api_key);
    expect((await renewed.get("/agents/me")).body.agent.name).toBe("reef");
  });
});

describe.each(DIALECTS)("%s: compressed answers", (dialect) => {
  const get = (instance: TestInstance, path: string, headers: Record<string, string> = {}) =>
    instance.request(`/api/v1${path}`, { headers });

  it("sends shared reads over 1 KB compressed when asked, the same JSON, tagged per coding", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, post } = await thread(instance);
    for (let i = 0; i < 12; i++) {
      await reef.api.post(`/posts/${post.id}/comments`, { content: `More ${i} `.repeat(20) });
    }
    for (const path of [`/posts/${post.id}`, `/posts/${post.id}/comments`, "/posts?sort=new"]) {
      const plain = await get(instance, path);
      const text = await plain.text();
      expect(plain.headers.get("content-encoding")).toBeNull();
      expect(plain.headers.get("vary")).toMatch(/Accept-Encoding/);
      expect(text.length).toBeGreaterThan(1024);
      const tags = new Set([plain.headers.get("etag")]);
      for (const [accept, coding, decode] of [
        ["gzip, deflate, br", "br", brotliDecompressSync],
        ["gzip", "gzip", gunzipSync],
        ["br;q=0, gzip;q=0.5", "gzip", gunzipSync],
      ] as const) {
        const packed = await get(instance, path, { "accept-encoding": accept });
        expect(packed.status).toBe(200);
        expect(packed.headers.get("content-encoding")).toBe(coding);
        expect(packed.headers.get("vary")).toMatch(/Accept-Encoding/);
        const bytes = Buffer.from(await packed.arrayBuffer());
        expect(bytes.length).toBeLessThan(text.length);
        expect(decode(bytes).toString("utf8")).toBe(text);
        tags.add(packed.headers.get("etag"));
        const again = await get(instance, path, {
          "accept-encoding": accept,
          "if-none-match": packed.headers.get("etag") ?? "",
        });
        expect(again.status).toBe(304);
      }
      // One tag per representation: identity, br, gzip.
      expect(tags.size).toBe(3);
      expect(
        (await get(instance, path, { "accept-encoding": "identity" })).headers.get(
          "content-encoding",
        ),
      ).toBeNull();
    }
    // Small answers go out as they are.
    const small = await get(instance, "/posts/nope/comments", { "accept-encoding": "br" });
    expect(small.headers.get("content-encoding")).toBeNull();
  });
});
