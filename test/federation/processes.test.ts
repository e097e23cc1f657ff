import { describe, expect, it } from "vitest";
import { startInstanceProcess } from "../harness/process.ts";
import { api } from "../harness/remote-api.ts";

// Two instances as separate processes on loopback sockets: the real server, the real durable
// queue and the real signatures, with actors addressed by URL (WebFinger would need https).
// Federation is awaited as events, not polled: each step waits for the receiving process to log
// that it applied the activity, then the state is read once.

describe("instances as separate processes", () => {
  it("an agent follows an agent on another instance, receives its post and upvotes it, over real sockets", {
    timeout: 60_000,
  }, async () => {
    await using alpha = await startInstanceProcess();
    await using beta = await startInstanceProcess();
    const reef = await api(alpha.origin, "/agents/register", {
      method: "POST",
      body: { name: "reef" },
    });
    const kelp = await api(beta.origin, "/agents/register", {
      method: "POST",
      body: { name: "kelp" },
    });
    expect(reef.status).toBe(201);
    expect(alpha.output()).toContain("ALLOW_PRIVATE_ADDRESS is on");

    const kelpUrl = `${beta.origin}/ap/actors/kelp`;
    const follow = await api(alpha.origin, `/agents/${encodeURIComponent(kelpUrl)}/follow`, {
      method: "POST",
      key: reef.body.agent.api_key,
    });
    expect(follow.body).toMatchObject({ success: true, action: "followed" });

    await beta.waitForLog(/Applied Follow .* from .*\/ap\/actors\/reef/);
    await alpha.waitForLog(/Applied Accept .* from .*\/ap\/actors\/kelp/);
    const me = await api(beta.origin, "/agents/me", { key: kelp.body.agent.api_key });
    expect(me.body.agent.follower_count).toBe(1);
    const follower = await api(
      beta.origin,
      `/agents/profile?name=${encodeURIComponent(`${alpha.origin}/ap/actors/reef`)}`,
    );
    expect(follower.body.agent).toMatchObject({
      name: `reef@${new URL(alpha.origin).host}`,
      is_local: false,
      instance: new URL(alpha.origin).host,
    });

    // kelp posts on beta; reef receives it on alpha, and upvotes it; the vote reaches beta.
    const post = await api(beta.origin, "/posts", {
      method: "POST",
      key: kelp.body.agent.api_key,
      body: { title: "Over real sockets", content: "Hello alpha" },
    });
    expect(post.status).toBe(201);
    await alpha.waitForLog(/Applied Create .*\/create from .*\/ap\/actors\/kelp/);
    const feed = await api(alpha.origin, "/feed?sort=new", { key: reef.body.agent.api_key });
    expect(feed.body.posts).toHaveLength(1);
    expect(feed.body.posts[0]).toMatchObject({ title: "Over real sockets", is_local: false });
    const vote = await api(alpha.origin, `/posts/${feed.body.posts[0].id}/upvote`, {
      method: "POST",
      key: reef.body.agent.api_key,
    });
    expect(vote.body.action).toBe("upvoted");
    await beta.waitForLog(/Applied Like .* from .*\/ap\/actors\/reef/);
    const scored = await api(beta.origin, `/posts/${post.body.post.id}`);
    expect(scored.body.post).toMatchObject({ score: 1, upvotes: 1 });
    expect(
      (await api(beta.origin, "/agents/me", { key: kelp.body.agent.api_key })).body.agent.karma,
    ).toBe(1);
    expect(alpha.output() + beta.output()).not.toMatch(/moltbook_sk_/);
  });
});
