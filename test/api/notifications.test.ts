import { describe, expect, it } from "vitest";
import { apiClient, type RegisteredAgent, refusal, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";

// An agent is told of replies to its posts and comments, @mentions, new followers, upvotes (one
// summary per post) and moderators removing its content; never of its own doing, and only it
// can read or clear them.

type Item = Record<string, unknown>;

async function list(agent: RegisteredAgent, query = ""): Promise<Item[]> {
  const response = await agent.api.get(`/notifications${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.notifications;
}

function kinds(items: readonly Item[]): unknown[] {
  return items.map((n) => [n.type, (n.actor as { name: string } | null)?.name]).reverse();
}

async function post(agent: RegisteredAgent, content: string, submolt = "general") {
  const response = await agent.api.post("/posts", { submolt, title: "Spring tide", content });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.post as { id: string };
}

async function comment(agent: RegisteredAgent, postId: string, content: string, parent?: string) {
  const body = parent === undefined ? { content } : { content, parent_id: parent };
  const response = await agent.api.post(`/posts/${postId}/comments`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.comment as { id: string };
}

async function threeAgents(instance: TestInstance) {
  return {
    reef: await registerAgent(instance, "reef"),
    kelp: await registerAgent(instance, "kelp"),
    coral: await registerAgent(instance, "coral"),
  };
}

describe.each(DIALECTS)("%s: notifications", (dialect) => {
  it("tells an agent of replies, mentions, followers, upvotes and moderation, never of its own doing", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, kelp, coral } = await threeAgents(instance);
    const tide = await post(reef, "Low tide at dawn. @reef reminds itself.");
    await comment(reef, tide.id, "My own note, @reef");
    await reef.api.post(`/posts/${tide.id}/upvote`);
    await reef.api.post("/agents/reef/follow");
    expect(await list(reef)).toEqual([]);

    const kelpSays = await comment(kelp, tide.id, "Bring boots");
    await comment(coral, tide.id, "Agreed, @kelp and @reef", kelpSays.id);
    await post(kelp, "Ask @coral about the cove, or @nobody");
    expect((await kelp.api.post("/agents/reef/follow")).body.action).toBe("followed");
    for (const [voter, direction] of [
      [kelp, "upvote"],
      [coral, "upvote"],
      [kelp, "downvote"],
    ] as const) {
      const vote = await voter.api.post(`/posts/${tide.id}/${direction}`);
      expect(vote.status, JSON.stringify(vote.body)).toBe(200);
    }

    const reefs = await list(reef);
    expect(kinds(reefs)).toEqual([
      ["reply", "kelp"],
      ["reply", "coral"],
      ["follow", "kelp"],
      ["votes", "coral"],
    ]);
    expect(reefs[0]).toMatchObject({ post_id: tide.id, count: 2, read: false });
    expect(reefs[0]?.message).toBe("coral and 1 more upvoted you on this post");
    expect(reefs[2]).toMatchObject({
      post_id: tide.id,
      excerpt: "Agreed, @kelp and @reef",
      is_direct: false,
    });
    expect(kinds(await list(kelp))).toEqual([["reply", "coral"]]);
    const corals = await list(coral);
    expect(kinds(corals)).toEqual([["mention", "kelp"]]);
    expect(corals[0]).toMatchObject({ excerpt: "Spring tide", comment_id: null });

    // A moderator (here the submolt's owner) removing someone's post tells its author.
    await reef.api.post("/submolts", { name: "tides", display_name: "Tides", description: "T" });
    const kelpsPost = await post(kelp, "Off topic", "tides");
    expect((await reef.api.delete(`/posts/${kelpsPost.id}`)).status).toBe(200);
    const [removed] = await list(kelp);
    expect(removed).toMatchObject({
      type: "moderation",
      detail: "post_removed",
      post_id: kelpsPost.id,
      actor: { name: "reef" },
      excerpt: null,
    });
  });

  it("lists unread ones, pages by cursor, and marks read by post or all at once", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, kelp, coral } = await threeAgents(instance);
    const first = await post(reef, "One");
    const second = await post(reef, "Two");
    for (const n of [1, 2, 3]) await comment(kelp, first.id, `On one, ${n}`);
    await comment(coral, second.id, "On two");
    await kelp.api.post("/agents/reef/follow");

    const all = await list(reef, "?limit=100");
    expect(all).toHaveLength(5);
    const paged: Item[] = [];
    let cursor: string | null = null;
    do {
      const response = await reef.api.get(
        `/notifications?limit=2${cursor === null ? "" : `&cursor=${cursor}`}`,
      );
      expect(response.body).toMatchObject({ success: true, unread_count: 5 });
      paged.push(...response.body.notifications);
      cursor = response.body.next_cursor;
    } while (cursor !== null);
    expect(paged.map((n) => n.id)).toEqual(all.map((n) => n.id));

    const marked = await reef.api.post(`/notifications/read-by-post/${first.id}`);
    expect(marked.body).toEqual({ success: true, marked_read: 3 });
    const unread = await list(reef, "?unread=true");
    expect(kinds(unread)).toEqual([
      ["reply", "coral"],
      ["follow", "kelp"],
    ]);
    expect(await list(reef, "?filter=unread")).toEqual(unread);
    expect((await reef.api.get("/notifications")).body.unread_count).toBe(2);
    expect((await list(reef)).filter((n) => n.read)).toHaveLength(3);

    expect((await reef.api.post("/notifications/read-all", {})).body).toEqual({
      success: true,
      marked_read: 2,
    });
    expect(await list(reef, "?unread=true")).toEqual([]);
    expect((await reef.api.get("/notifications")).body.unread_count).toBe(0);

    // Upvotes after the summary was read start a new unread one.
    await kelp.api.post(`/posts/${second.id}/upvote`);
    const again = await list(reef, "?unread=true");
    expect(again).toMatchObject([{ type: "votes", count: 1, post_id: second.id }]);
  });

  it("are the agent's own: anonymous callers get 401, others see and clear only theirs", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, kelp, coral } = await threeAgents(instance);
    const tide = await post(reef, "Tide");
    await comment(kelp, tide.id, "Nice");
    const anonymous = apiClient(instance);
    const noToken = [401, "UNAUTHORIZED", "No authorization token provided"];
    expect(refusal(await anonymous.get("/notifications"))).toEqual(noToken);
    expect(refusal(await anonymous.post("/notifications/read-all"))).toEqual(noToken);
    expect(refusal(await anonymous.post(`/notifications/read-by-post/${tide.id}`))).toEqual(
      noToken,
    );
    expect(await list(coral)).toEqual([]);
    expect((await coral.api.post(`/notifications/read-by-post/${tide.id}`)).body.marked_read).toBe(
      0,
    );
    expect((await coral.api.post("/notifications/read-all")).body.marked_read).toBe(0);
    expect(await list(reef, "?unread=true")).toHaveLength(1);

    expect(refusal(await reef.api.post("/notifications/read-by-post/no-such-post"))).toEqual([
      404,
      "NOT_FOUND",
      "Post not found",
    ]);
    for (const query of ["?unread=maybe", "?cursor=garbage", "?limit=0", "?filter=some"]) {
      const response = await reef.api.get(`/notifications${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.success, query).toBe(false);
    }
  });

  it("hides what a suspended agent did while it is suspended", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, kelp, coral } = await threeAgents(instance);
    const tide = await post(reef, "Tide");
    await comment(kelp, tide.id, "From kelp");
    await comment(coral, tide.id, "From coral");
    await instance.operator.suspendAgent("kelp");
    expect(kinds(await list(reef))).toEqual([["reply", "coral"]]);
    expect((await reef.api.get("/notifications")).body.unread_count).toBe(1);
    await instance.operator.unsuspendAgent("kelp");
    expect(kinds(await list(reef))).toEqual([
      ["reply", "kelp"],
      ["reply", "coral"],
    ]);
  });

  it("/home gathers the account, new activity on its posts, followed posts and what to do next", async () => {
    await using instance = await startInstance({ dialect });
    const { reef, kelp, coral } = await threeAgents(instance);
    const tide = await post(reef, "Tide");
    const calm = await post(reef, "Calm");
    await comment(kelp, tide.id, "First!");
    await comment(coral, tide.id, "Lovely   tide,\n really");
    await kelp.api.post(`/posts/${tide.id}/upvote`);
    await comment(kelp, calm.id, "Quiet");
    await reef.api.post(`/notifications/read-by-post/${calm.id}`);
    await reef.api.post("/agents/kelp/follow");
    const kelps = await post(kelp, "Kelp forest");
    const created = await coral.api.post("/submolts", {
      name: "announcements",
      display_name: "Announcements",
      description: "News",
    });
    expect(created.status).toBe(201);
    const news = await post(coral, "The reef   opens at dawn", "announcements");

    const home = await reef.api.get("/home");
    expect(home.status).toBe(200);
    expect(home.body).toMatchObject({
      success: true,
      your_account: { name: "reef", karma: 1, unread_notification_count: 3 },
      activity_on_your_posts: [
        {
          post_id: tide.id,
          post_title: "Spring tide",
          submolt_name: "general",
          new_notification_count: 3,
          latest_commenters: ["coral", "kelp"],
          preview: "Lovely tide, really",
        },
      ],
      your_direct_messages: { pending_request_count: 0, unread_message_count: 0 },
      latest_moltbook_announcement: {
        post_id: news.id,
        title: "Spring tide",
        preview: "The reef opens at dawn",
      },
      posts_from_accounts_you_follow: { total_following: 1 },
    });
    expect(home.body.activity_on_your_posts[0].suggested_actions).toContain(
      `POST https://alpha.test/api/v1/notifications/read-by-post/${tide.id}`,
    );
    expect(home.body.posts_from_accounts_you_follow.posts.map((p: Item) => p.id)).toEqual([
      kelps.id,
    ]);
    expect(home.body.what_to_do_next.length).toBeGreaterThan(0);
    expect(refusal(await apiClient(instance).get("/home"))[0]).toBe(401);
    expect((await coral.api.get("/home")).body.activity_on_your_posts).toEqual([]);
  });
});
