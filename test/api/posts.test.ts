import { describe, expect, it } from "vitest";
import { apiClient, refusal, registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

const POST_NOT_FOUND = [404, "NOT_FOUND", "Post not found"];
const COMMENT_NOT_FOUND = [404, "NOT_FOUND", "Comment not found"];

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

  it("answers a new post or comment exactly as reading it back shows it", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    // Karma and a display name, so that the author fields are not all defaults.
    await instance.db.db
      .updateTable("agents")
      .set({ karma: 7, display_name: "Reef", avatar_url: "https://img.example/r.png" })
      .where("name", "=", "reef")
      .execute();
    for (const body of [
      { submolt: "general", title: "Text", content: "First post" },
      { title: "Link", url: "https://example.com/a" },
      { title: "Image", url: "https://example.com/i.png", type: "image" },
    ]) {
      const created = await reef.api.post("/posts", body);
      expect(created.status).toBe(201);
      const read = await reef.api.get(`/posts/${created.body.post.id}`);
      expect(created.body.post).toStrictEqual(read.body.post);
    }
    const post = (await reef.api.post("/posts", { title: "Thread", content: "x" })).body.post;
    let parent: string | undefined;
    for (const content of ["Top", "Reply"]) {
      const created = await reef.api.post(`/posts/${post.id}/comments`, {
        content,
        ...(parent === undefined ? {} : { parent_id: parent }),
      });
      expect(created.status).toBe(201);
      const read = await reef.api.get(`/comments/${created.body.comment.id}`);
      expect(created.body.comment).toStrictEqual(read.body.comment);
      parent = created.body.comment.id;
    }
  });

  it("shows each viewer its own votes on a thread and this process's writes at once, though threads are cached", async () => {
    await using instance = await startInstance({ dialect });
    const author = await registerAgent(instance, "author");
    const voter = await registerAgent(instance, "voter");
    const other = await registerAgent(instance, "other");
    const post = (await author.api.post("/posts", { title: "Thread", content: "x" })).body.post;
    const top = (await author.api.post(`/posts/${post.id}/comments`, { content: "Top" })).body
      .comment;
    const reply = (
      await author.api.post(`/posts/${post.id}/comments`, { content: "Re", parent_id: top.id })
    ).body.comment;
    const thread = async (agent?: typeof voter) =>
      (await (agent?.api ?? apiClient(instance)).get(`/posts/${post.id}`)).body;
    const plain = await thread();
    expect(await thread(voter)).toStrictEqual(plain);
    await voter.api.post(`/posts/${post.id}/upvote`);
    await voter.api.post(`/comments/${reply.id}/downvote`);
    const seen = await thread(voter);
    expect(seen.post).toMatchObject({ score: 1, user_vote: 1 });
    expect(seen.comments[0]).toMatchObject({ id: top.id, user_vote: null });
    expect(seen.comments[0].replies[0]).toMatchObject({ id: reply.id, score: -1, user_vote: -1 });
    const others = await thread(other);
    expect(others.post).toMatchObject({ score: 1, user_vote: null });
    expect(others.comments[0].replies[0]).toMatchObject({ score: -1, user_vote: null });
    expect(others).toStrictEqual(await thread());
    // Content written straight to the database shows at once too; a deleted post is gone.
    await instance.db.db
      .updateTable("comments")
      .set({ content: "Edited" })
      .where("id", "=", top.id)
      .execute();
    expect((await thread(other)).comments[0].content).toBe("Edited");
    await author.api.delete(`/posts/${post.id}`);
    expect(refusal(await apiClient(instance).get(`/posts/${post.id}`))).toEqual(POST_NOT_FOUND);
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
      const code = status === 404 ? "NOT_FOUND" : "VALIDATION_ERROR";
      expect(refusal(response), JSON.stringify(body)).toEqual([status, code, error]);
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
    const before = await rowCounts(instance);
    const refused = await kelp.api.delete(`/posts/${post.id}`);
    expect(refusal(refused)).toEqual([403, "FORBIDDEN", "You can only delete your own posts"]);
    expect(refusal(await apiClient(instance).delete(`/posts/${post.id}`))).toEqual([
      401,
      "UNAUTHORIZED",
      "No authorization token provided",
    ]);
    expect(await rowCounts(instance)).toEqual(before);
    expect((await apiClient(instance).get(`/posts/${post.id}`)).status).toBe(200);
    const deleted = await reef.api.delete(`/posts/${post.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.success).toBe(true);
    expect((await apiClient(instance).get(`/posts/${post.id}`)).status).toBe(404);
    expect((await reef.api.get("/agents/me")).body.agent.posts_count).toBe(0);
    expect(refusal(await reef.api.delete(`/posts/${post.id}`))).toEqual(POST_NOT_FOUND);
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

    const before = await rowCounts(instance);
    for (const direction of ["upvote", "downvote"]) {
      const self = await reef.api.post(`/posts/${post.id}/${direction}`);
      expect(refusal(self)).toEqual([400, "BAD_REQUEST", "Cannot vote on your own content"]);
      const missing = await kelp.api.post(
        `/posts/00000000-0000-7000-8000-000000000000/${direction}`,
      );
      expect(refusal(missing)).toEqual(POST_NOT_FOUND);
    }
    expect(await rowCounts(instance)).toEqual(before);
    expect(await karma()).toBe(1);
    expect((await apiClient(instance).post(`/posts/${post.id}/upvote`)).status).toBe(401);
  });

  it("starts with a downvote as downvoted, and votes on comments the same way", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const post = (await reef.api.post("/posts", { title: "Meh", content: "x" })).body.post;
    const down = await kelp.api.post(`/posts/${post.id}/downvote`);
    expect(down.body).toMatchObject({
      success: true,
      action: "downvoted",
      message: "Downvoted!",
      author: { name: "reef" },
      score: -1,
      user_vote: -1,
    });

    const comment = (await reef.api.post(`/posts/${post.id}/comments`, { content: "c" })).body
      .comment;
    const karma = async () => (await reef.api.get("/agents/me")).body.agent.karma;
    const steps: [string, string, number, number][] = [
      ["upvote", "upvoted", 1, 0],
      ["downvote", "changed", -1, -2],
      ["downvote", "removed", 0, -1],
      ["downvote", "downvoted", -1, -2],
    ];
    for (const [direction, action, score, authorKarma] of steps) {
      const response = await kelp.api.post(`/comments/${comment.id}/${direction}`);
      expect(response.body, `${direction} ${action}`).toMatchObject({
        success: true,
        action,
        author: { name: "reef" },
        score,
      });
      expect(await karma(), `${direction} ${action}`).toBe(authorKarma);
    }
    const seen = await kelp.api.get(`/comments/${comment.id}`);
    expect(seen.body.comment).toMatchObject({ score: -1, downvotes: 1, user_vote: -1 });

    const before = await rowCounts(instance);
    const self = await reef.api.post(`/comments/${comment.id}/upvote`);
    expect(refusal(self)).toEqual([400, "BAD_REQUEST", "Cannot vote on your own content"]);
    const missing = await kelp.api.post("/comments/00000000-0000-7000-8000-000000000000/upvote");
    expect(refusal(missing)).toEqual(COMMENT_NOT_FOUND);
    expect(await rowCounts(instance)).toEqual(before);
    await reef.api.delete(`/comments/${comment.id}`);
    expect(refusal(await kelp.api.post(`/comments/${comment.id}/downvote`))).toEqual(
      COMMENT_NOT_FOUND,
    );
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
    expect(refusal(refused)).toEqual([403, "FORBIDDEN", "You can only delete your own comments"]);
    expect(
      (await apiClient(instance).get(`/comments/${first.body.comment.id}`)).body.comment.content,
    ).toBe("First!");
    expect((await kelp.api.delete(`/comments/${first.body.comment.id}`)).status).toBe(200);
    const after = await apiClient(instance).get(`/posts/${post.id}/comments?sort=old`);
    expect(after.body.comments[0]).toMatchObject({ content: "[deleted]", is_deleted: true });
    expect(after.body.comments[0].replies[0].content).toBe("Reply");
    const gone = await apiClient(instance).get(`/comments/${first.body.comment.id}`);
    expect(gone.body.comment).toMatchObject({ content: "[deleted]", is_deleted: true });
    expect(refusal(await kelp.api.delete(`/comments/${first.body.comment.id}`))).toEqual(
      COMMENT_NOT_FOUND,
    );
    const unknown = "/comments/00000000-0000-7000-8000-000000000000";
    expect(refusal(await apiClient(instance).get(unknown))).toEqual(COMMENT_NOT_FOUND);
    expect(refusal(await apiClient(instance).get("/posts/nope/comments"))).toEqual(POST_NOT_FOUND);
  });

  it("sorts controversial comments by how evenly their votes split", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const voters = await Promise.all([0, 1, 2, 3].map((i) => registerAgent(instance, `voter${i}`)));
    const post = (await reef.api.post("/posts", { title: "Hot take", content: "x" })).body.post;
    // liked: 4 up; split: 2 up 2 down; quiet: no votes.
    const votes: [string, ("upvote" | "downvote")[]][] = [
      ["liked", ["upvote", "upvote", "upvote", "upvote"]],
      ["split", ["upvote", "downvote", "upvote", "downvote"]],
      ["quiet", []],
    ];
    for (const [content, directions] of votes) {
      const comment = (await reef.api.post(`/posts/${post.id}/comments`, { content })).body.comment;
      for (const [i, direction] of directions.entries())
        await voters[i]?.api.post(`/comments/${comment.id}/${direction}`);
    }
    const contents = async (sort: string) =>
      (await apiClient(instance).get(`/posts/${post.id}/comments?sort=${sort}`)).body.comments.map(
        (c: { content: string }) => c.content,
      );
    expect(await contents("controversial")).toEqual(["split", "liked", "quiet"]);
    expect(await contents("best")).toEqual(["liked", "split", "quiet"]);
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
    expect(refusal(tooDeep)).toEqual([400, "BAD_REQUEST", "Maximum comment depth exceeded"]);
    const across = await reef.api.post(`/posts/${other.id}/comments`, {
      content: "x",
      parent_id: parent,
    });
    expect(refusal(across)).toEqual([404, "NOT_FOUND", "Parent comment not found"]);
    const empty = await reef.api.post(`/posts/${post.id}/comments`, {});
    expect(refusal(empty)).toEqual([400, "VALIDATION_ERROR", "Content is required"]);
    const long = await reef.api.post(`/posts/${post.id}/comments`, { content: "x".repeat(10_001) });
    expect(long.body.error).toBe("Content must be 10000 characters or less");
    const noPost = await reef.api.post("/posts/00000000-0000-7000-8000-000000000000/comments", {
      content: "x",
    });
    expect(refusal(noPost)).toEqual(POST_NOT_FOUND);
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
