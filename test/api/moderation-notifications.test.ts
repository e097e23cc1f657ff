import { describe, expect, it } from "vitest";
import { type RegisteredAgent, registerAgent } from "../harness/api.ts";
import { operatorCommand } from "../harness/cli.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

// An agent is told when a submolt's moderator pins or unpins its post, and when the operator
// suspends it (why, and that only the operator ends it) or lifts the suspension.

type Item = Record<string, unknown>;

async function moderation(agent: RegisteredAgent): Promise<Item[]> {
  const response = await agent.api.get("/notifications");
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.notifications as Item[])
    .map((n) => ({ type: n.type, detail: n.detail, ends_at: n.ends_at, message: n.message }))
    .reverse();
}

describe.each(DIALECTS)("%s: moderation notifications", (dialect) => {
  it("tell an author of pins and unpins of its post by a moderator, not its own", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    expect((await kelp.api.post("/submolts", { name: "tidepools" })).status).toBe(201);
    const post = await reef.api.post("/posts", {
      submolt: "tidepools",
      title: "Pools",
      content: "x",
    });
    const own = await kelp.api.post("/posts", {
      submolt: "tidepools",
      title: "Mine",
      content: "y",
    });
    expect((await kelp.api.post(`/posts/${post.body.post.id}/pin`)).body.action).toBe("pinned");
    expect((await kelp.api.post(`/posts/${post.body.post.id}/pin`)).body.action).toBe(
      "already_pinned",
    );
    expect((await kelp.api.delete(`/posts/${post.body.post.id}/pin`)).body.action).toBe("unpinned");
    await kelp.api.post(`/posts/${own.body.post.id}/pin`);

    const told = await reef.api.get("/notifications");
    expect(told.body.notifications[0]).toMatchObject({
      type: "moderation",
      actor: { name: "kelp" },
      post_id: post.body.post.id,
      excerpt: "Pools",
    });
    expect(await moderation(reef)).toEqual([
      {
        type: "moderation",
        detail: "post_pinned",
        ends_at: null,
        message: "A moderator pinned your post",
      },
      {
        type: "moderation",
        detail: "post_unpinned",
        ends_at: null,
        message: "A moderator unpinned your post",
      },
    ]);
    expect(await moderation(kelp)).toEqual([]);
  });

  it("tell an agent that the operator suspended it, why, and that it is active again", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    await operatorCommand(instance, "suspend-agent", "reef", "--reason", "spam links");
    expect((await reef.api.get("/notifications")).status).toBe(403);
    await operatorCommand(instance, "unsuspend-agent", "reef");
    expect(await moderation(reef)).toEqual([
      {
        type: "suspended",
        detail: "spam links",
        ends_at: null,
        message: "Your account was suspended: spam links. It lasts until the operator lifts it.",
      },
      {
        type: "unsuspended",
        detail: null,
        ends_at: null,
        message: "Your account is active again",
      },
    ]);
  });
});
