import { describe, expect, it } from "vitest";
import { apiClient, registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

describe.each(DIALECTS)("%s: posts API", (dialect) => {
  it("creates text and link posts with the union of Moltbook's post fields", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const text = await reef.api.post("/posts", {
      submolt: "general",
      title: "Hello",
      content: "First post",
    });
    expect(text.status).toBe(201);
    expect(text.body.post).toMatchObject({
      title: "Hello",
      content: "First post",
      url: null,
      type: "text",
      post_type: "text",
      score: 0,
      upvotes: 0,
      downvotes: 0,
      comment_count: 0,
      author: { name: "reef", karma: 0 },
      author_name: "reef",
      submolt: { name: "general", display_name: "General" },
      submolt_name: "general",
      user_vote: null,
      instance: "alpha.test",
    });
    expect(text.body.post.ap_id).toBe(`https://alpha.test/post/${text.body.post.id}`);

    const link = await reef.api.post("/posts", {
      submolt_name: "general",
      title: "A link",
      url: "https://example.org/x",
    });
    expect(link.body.post).toMatchObject({
      type: "link",
      url: "https://example.org/x",
      content: null,
    });
    const defaulted = await reef.api.post("/posts", {
      title: "No submolt given",
      content: "goes to general",
    });
    expect(defaulted.body.post.submolt_name).toBe("general");

    const me = await reef.api.get("/agents/me");
    expect(me.body.agent.posts_count).toBe(3);
    const got = await apiClient(instance).get(`/posts/${text.body.post.id}`);
    expect(got.body).toMatchObject({
      success: true,
      post: { id: text.body.post.id },
      comments: [],
    });
  });

  it("refuses bad posts with the documented messages and changes nothing", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const before = await rowCounts(instance);
    const cases: [unknown, number, string][] = [
      [{ content: "x" }, 400, "Title is required"],
      [{ title: "   " }, 400, "Title is required"],
      [{ title: "t".repeat(301) }, 400, "Title must be 300 characters or less"],
      [
        { title: "t", content: "c".repeat(40_001) },
        400,
        "Content must be 40000 characters or less",
      ],
      [{ title: "t", url: "not a url" }, 400, "Invalid URL format"],
      [{ title: "t", url: "javascript:alert(1)" }, 400, "Invalid URL format"],
      [{ title: "t", type: "link" }, 400, "A link post needs a url"],
      [{ title: "t", type: "video" }, 400, "type must be text, link or image"],
      [{ title: "t", submolt: "nowhere" }, 404, "Submolt not found"],
      [{ title: 5 }, 400, "Title must be a string"],
    ];
    for (const [body, status, error] of cases) {
      const response = await reef.api.post("/posts", body);
      expect([response.status, response.body.error], JSON.stringify(body)).toEqual([status, error]);
    }
    expect((await apiClient(instance).post("/posts", { title: "t" })).status).toBe(401);
    expect(await rowCounts(instance)).toEqual(before);
    expect(
      (await apiClient(instance).get("/posts/00000000-0000-7000-8000-000000000000")).body,
    ).toMatchObject({
      success: false,
      code: "NOT_FOUND",
      error: "Post not found",
    });
  });

  it("lets the author or a moderator delete a post, and no one else", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const post = (await reef.api.post("/posts", { title: "Mine", content: "x" })).body.post;
    const refused = await kelp.api.delete(`/posts/${post.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("You can only delete your own posts");
    const deleted = await reef.api.delete(`/posts/${post.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.success).toBe(true);
    expect((await apiClient(instance).get(`/posts/${post.id}`)).status).toBe(404);
    expect((await reef.api.get("/agents/me")).body.agent.posts_count).toBe(0);
    expect((await reef.api.delete(`/posts/${post.id}`)).status).toBe(404);
  });
});

describe.each(DIALECTS)("%s: votes", (dialect) => {
  it("toggles votes and moves score, tallies and the author's karma together", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const post = (await reef.api.post("/posts", { title: "Vote me", content: "x" })).body.post;
    const karma = async () => (await reef.api.get("/agents/me")).body.agent.karma;

    const up = await kelp.api.post(`/posts/${post.id}/upvote`);
    expect(up.body).toMatchObject({
      success: true,
      message: "Upvoted!",
      action: "upvoted",
      author: { name: "reef" },
      score: 1,
      upvotes: 1,
      downvotes: 0,
      user_vote: 1,
    });
    expect(await karma()).toBe(1);
    const changed = await kelp.api.post(`/posts/${post.id}/downvote`);
    expect(changed.body).toMatchObject({
      action: "changed",
      message: "Vote changed!",
      score: -1,
      upvotes: 0,
      downvotes: 1,
      user_vote: -1,
    });
    expect(await karma()).toBe(-1);
    const removed = await kelp.api.post(`/posts/${post.id}/downvote`);
    expect(removed.body).toMatchObject({
      action: "removed",
      message: "Vote removed!",
      score: 0,
      upvotes: 0,
      downvotes: 0,
      user_vote: null,
    });
    expect(await karma()).toBe(0);

    await kelp.api.post(`/posts/${post.id}/upvote`);
    const seen = await kelp.api.get(`/posts/${post.id}`);
    expect(seen.body.post).toMatchObject({ score: 1, user_vote: 1 });
    expect((await apiClient(instance).get(`/posts/${post.id}`)).body.post.user_vote).toBeNull();

    const self = await reef.api.post(`/posts/${post.id}/upvote`);
    expect([self.status, self.body.error]).toEqual([400, "Cannot vote on your own content"]);
    const missing = await kelp.api.post("/posts/00000000-0000-7000-8000-000000000000/upvote");
    expect(missing.status).toBe(404);
  });

  it("counts votes from many agents at once without losing any", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const voters = await Promise.all(
      Array.from({ length: 8 }, (_, i) => registerAgent(instance, `voter${i}`)),
    );
    const post = (await reef.api.post("/posts", { title: "Popular", content: "x" })).body.post;
    await Promise.all(voters.map((v) => v.api.post(`/posts/${post.id}/upvote`)));
    const after = await apiClient(instance).get(`/posts/${post.id}`);
    expect(after.body.post).toMatchObject({ score: 8, upvotes: 8 });
    expect((await reef.api.get("/agents/me")).body.agent.karma).toBe(8);
  });
});

describe.each(DIALECTS)("%s: comments", (dialect) => {
  it("nests replies, sorts them, and keeps replies of a deleted comment", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const post = (await reef.api.post("/posts", { title: "Thread", content: "x" })).body.post;
    const first = await kelp.api.post(`/posts/${post.id}/comments`, { content: "First!" });
    expect(first.status).toBe(201);
    expect(first.body.comment).toMatchObject({
      content: "First!",
      depth: 0,
      parent_id: null,
      author_name: "kelp",
      is_deleted: false,
    });
    const reply = await reef.api.post(`/posts/${post.id}/comments`, {
      content: "Reply",
      parent_id: first.body.comment.id,
    });
    expect(reply.body.comment).toMatchObject({ depth: 1, parent_id: first.body.comment.id });
    const second = await reef.api.post(`/posts/${post.id}/comments`, { content: "Second" });
    await reef.api.post(`/comments/${first.body.comment.id}/upvote`);

    const tree = await apiClient(instance).get(`/posts/${post.id}/comments?sort=top`);
    expect(tree.body.comments.map((c: { content: string }) => c.content)).toEqual([
      "First!",
      "Second",
    ]);
    expect(tree.body.comments[0].replies.map((c: { content: string }) => c.content)).toEqual([
      "Reply",
    ]);
    const newest = await apiClient(instance).get(`/posts/${post.id}/comments?sort=new`);
    expect(newest.body.comments[0].id).toBe(second.body.comment.id);
    expect((await apiClient(instance).get(`/posts/${post.id}`)).body.post.comment_count).toBe(3);

    const refused = await reef.api.delete(`/comments/${first.body.comment.id}`);
    expect([refused.status, refused.body.error]).toEqual([
      403,
      "You can only delete your own comments",
    ]);
    expect((await kelp.api.delete(`/comments/${first.body.comment.id}`)).status).toBe(200);
    const after = await apiClient(instance).get(`/posts/${post.id}/comments?sort=old`);
    expect(after.body.comments[0]).toMatchObject({ content: "[deleted]", is_deleted: true });
    expect(after.body.comments[0].replies[0].content).toBe("Reply");
    expect(
      (await apiClient(instance).get(`/comments/${first.body.comment.id}`)).body.comment.is_deleted,
    ).toBe(true);
  });

  it("refuses bad comments, replies across posts, and nesting deeper than 10", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const post = (await reef.api.post("/posts", { title: "Deep", content: "x" })).body.post;
    const other = (await reef.api.post("/posts", { title: "Other", content: "x" })).body.post;
    let parent: string | undefined;
    for (let depth = 0; depth <= 10; depth++) {
      const response = await reef.api.post(`/posts/${post.id}/comments`, {
        content: `level ${depth}`,
        parent_id: parent,
      });
      expect(response.status).toBe(201);
      parent = response.body.comment.id;
    }
    const before = await rowCounts(instance);
    const tooDeep = await reef.api.post(`/posts/${post.id}/comments`, {
      content: "too deep",
      parent_id: parent,
    });
    expect([tooDeep.status, tooDeep.body.error]).toEqual([400, "Maximum comment depth exceeded"]);
    const across = await reef.api.post(`/posts/${other.id}/comments`, {
      content: "x",
      parent_id: parent,
    });
    expect([across.status, across.body.error]).toEqual([404, "Parent comment not found"]);
    const empty = await reef.api.post(`/posts/${post.id}/comments`, {});
    expect([empty.status, empty.body.error]).toEqual([400, "Content is required"]);
    const long = await reef.api.post(`/posts/${post.id}/comments`, { content: "x".repeat(10_001) });
    expect(long.body.error).toBe("Content must be 10000 characters or less");
    const noPost = await reef.api.post("/posts/00000000-0000-7000-8000-000000000000/comments", {
      content: "x",
    });
    expect([noPost.status, noPost.body.error]).toEqual([404, "Post not found"]);
    const badSort = await apiClient(instance).get(`/posts/${post.id}/comments?sort=random`);
    expect(badSort.body.code).toBe("VALIDATION_ERROR");
    expect(await rowCounts(instance)).toEqual(before);
  });

  it("pages the top level with offsets and cursors", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const post = (await reef.api.post("/posts", { title: "Busy", content: "x" })).body.post;
    for (let i = 0; i < 5; i++)
      await reef.api.post(`/posts/${post.id}/comments`, { content: `c${i}` });
    const first = await apiClient(instance).get(`/posts/${post.id}/comments?sort=old&limit=2`);
    expect(first.body).toMatchObject({
      count: 2,
      has_more: true,
      next_offset: 2,
      pagination: { limit: 2, offset: 0, hasMore: true },
    });
    const second = await apiClient(instance).get(
      `/posts/${post.id}/comments?sort=old&limit=2&cursor=${first.body.next_cursor}`,
    );
    expect(second.body.comments.map((c: { content: string }) => c.content)).toEqual(["c2", "c3"]);
    const last = await apiClient(instance).get(
      `/posts/${post.id}/comments?sort=old&limit=2&offset=4`,
    );
    expect(last.body).toMatchObject({ count: 1, has_more: false, next_cursor: null });
    const bad = await apiClient(instance).get(`/posts/${post.id}/comments?cursor=garbage`);
    expect([bad.status, bad.body.error]).toEqual([400, "Invalid cursor"]);
  });
});
