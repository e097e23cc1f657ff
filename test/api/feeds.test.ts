import { describe, expect, it } from "vitest";
import { apiClient, type RegisteredAgent, refusal, registerAgent } from "../harness/api.ts";
import { createFixedClock } from "../harness/clock.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

const HOUR = 3_600_000;
const titles = (body: { posts: { title: string }[] }) => body.posts.map((p) => p.title);

/** Posts one per hour (oldest first) and votes them up to the given scores. */
async function seed(
  clock: ReturnType<typeof createFixedClock>,
  author: RegisteredAgent,
  voters: RegisteredAgent[],
  spec: [string, number][],
) {
  const ids: Record<string, string> = {};
  for (const [title, score] of spec) {
    const post = (await author.api.post("/posts", { title, content: `about ${title}` })).body.post;
    ids[title] = post.id;
    for (const voter of voters.slice(0, score)) await voter.api.post(`/posts/${post.id}/upvote`);
    clock.advance(HOUR);
  }
  return ids;
}

describe.each(DIALECTS)("%s: feeds", (dialect) => {
  it("orders posts by hot, new, top (with t) and rising", async () => {
    const clock = createFixedClock("2026-06-01T00:00:00.000Z");
    await using instance = await startInstance({ dialect, overrides: { clock } });
    const author = await registerAgent(instance, "author");
    const voters = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => registerAgent(instance, `voter${i}`)),
    );
    // Ages when read (clock ends 4 h after the first post): old 4 h, mid 3 h, hit 2 h, fresh 1 h.
    await seed(clock, author, voters, [
      ["old", 5],
      ["mid", 1],
      ["hit", 4],
      ["fresh", 0],
    ]);
    const anon = apiClient(instance);
    expect(titles((await anon.get("/posts?sort=new")).body)).toEqual([
      "fresh",
      "hit",
      "mid",
      "old",
    ]);
    expect(titles((await anon.get("/posts?sort=top")).body)).toEqual([
      "old",
      "hit",
      "mid",
      "fresh",
    ]);
    expect(titles((await anon.get("/posts?sort=top&t=hour")).body)).toEqual(["fresh"]);
    expect(titles((await anon.get("/posts?sort=top&t=day")).body)).toEqual([
      "old",
      "hit",
      "mid",
      "fresh",
    ]);
    // hot: log10(max(score,1)) + created/12.5h: hit .602+.16, old .699+0, fresh 0+.24, mid 0+.08.
    expect(titles((await anon.get("/posts")).body)).toEqual(["hit", "old", "fresh", "mid"]);
    // rising: (score+1)/(age+2)^1.5: hit 5/8, old 6/14.7, fresh 1/5.2, mid 2/11.2.
    expect(titles((await anon.get("/posts?sort=rising")).body)).toEqual([
      "hit",
      "old",
      "fresh",
      "mid",
    ]);
  });

  it("pages with cursors that neither skip nor repeat when posts arrive in between", async () => {
    const clock = createFixedClock("2026-06-01T00:00:00.000Z");
    await using instance = await startInstance({ dialect, overrides: { clock } });
    const author = await registerAgent(instance, "author");
    for (let i = 0; i < 7; i++) {
      await author.api.post("/posts", { title: `p${i}`, content: "x" });
      clock.advance(60_000);
    }
    const anon = apiClient(instance);
    for (const sort of ["new", "hot", "top"]) {
      const seen: string[] = [];
      let page = await anon.get(`/posts?sort=${sort}&limit=3`);
      seen.push(...titles(page.body));
      await author.api.post("/posts", { title: `late-${sort}`, content: "x" });
      while (page.body.has_more) {
        page = await anon.get(`/posts?sort=${sort}&limit=3&cursor=${page.body.next_cursor}`);
        seen.push(...titles(page.body));
      }
      const expected = ["p6", "p5", "p4", "p3", "p2", "p1", "p0"];
      expect(
        seen
          .filter((t) => t.startsWith("p"))
          .sort()
          .reverse(),
        sort,
      ).toEqual(expected);
      expect(new Set(seen).size, sort).toBe(seen.length);
    }
    const offset = await anon.get("/posts?sort=new&limit=2&offset=2");
    expect(offset.body).toMatchObject({
      count: 2,
      has_more: true,
      next_offset: 4,
      pagination: { offset: 2 },
    });
    const wrongListing = await anon.get(
      `/posts?sort=top&cursor=${(await anon.get("/posts?sort=new&limit=1")).body.next_cursor}`,
    );
    expect([wrongListing.status, wrongListing.body.error]).toEqual([400, "Invalid cursor"]);
  });

  it("filters by submolt and hides deleted posts", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    await reef.api.post("/submolts", { name: "tides" });
    await reef.api.post("/posts", { submolt: "tides", title: "in tides", content: "x" });
    const gone = (
      await reef.api.post("/posts", { submolt: "tides", title: "deleted", content: "x" })
    ).body.post;
    await reef.api.post("/posts", { title: "in general", content: "x" });
    await reef.api.delete(`/posts/${gone.id}`);
    const anon = apiClient(instance);
    expect(titles((await anon.get("/posts?submolt=tides")).body)).toEqual(["in tides"]);
    expect(titles((await anon.get("/submolts/tides/feed?sort=new")).body)).toEqual(["in tides"]);
    expect(titles((await anon.get("/submolts/tides/posts")).body)).toEqual(["in tides"]);
    expect(titles((await anon.get("/posts?sort=new")).body)).toEqual(["in general", "in tides"]);
    expect(refusal(await anon.get("/posts?submolt=nowhere"))).toEqual([
      404,
      "NOT_FOUND",
      "Submolt not found",
    ]);
  });

  it("builds the personal feed from subscriptions and follows", async () => {
    await using instance = await startInstance({ dialect });
    const reader = await registerAgent(instance, "reader");
    const friend = await registerAgent(instance, "friend");
    const stranger = await registerAgent(instance, "stranger");
    await stranger.api.post("/submolts", { name: "tides" });
    await friend.api.post("/posts", { title: "by friend in general", content: "x" });
    await stranger.api.post("/posts", { submolt: "tides", title: "in tides", content: "x" });
    await stranger.api.post("/posts", { title: "stranger in general", content: "x" });
    expect((await reader.api.get("/feed")).body.posts).toEqual([]);
    await reader.api.post("/agents/friend/follow");
    await reader.api.post("/submolts/tides/subscribe");
    const feed = await reader.api.get("/feed?sort=new");
    expect(titles(feed.body)).toEqual(["in tides", "by friend in general"]);
    expect(titles((await reader.api.get("/feed?filter=following")).body)).toEqual([
      "by friend in general",
    ]);
    const voted = await reader.api.post(`/posts/${feed.body.posts[1].id}/upvote`);
    expect(voted.body.action).toBe("upvoted");
    expect(titles((await reader.api.get("/feed?sort=top")).body)).toEqual([
      "by friend in general",
      "in tides",
    ]);
    expect(refusal(await apiClient(instance).get("/feed"))).toEqual([
      401,
      "UNAUTHORIZED",
      "No authorization token provided",
    ]);
    expect(refusal(await reader.api.get("/feed?sort=rising"))).toEqual([
      400,
      "VALIDATION_ERROR",
      "sort must be one of hot, new, top",
    ]);
    expect(refusal(await reader.api.get("/feed?filter=mine"))).toEqual([
      400,
      "VALIDATION_ERROR",
      "filter must be all or following",
    ]);
  });

  it("refuses bad listing parameters with the validation envelope", async () => {
    await using instance = await startInstance({ dialect });
    const anon = apiClient(instance);
    for (const query of [
      "sort=best",
      "t=decade",
      "limit=0",
      "limit=101",
      "limit=abc",
      "offset=-1",
      "cursor=%%%",
    ]) {
      const response = await anon.get(`/posts?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.success).toBe(false);
    }
  });

  it("refuses forged cursors whose key does not fit the listing's columns", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    await reef.api.post("/posts", { title: "t", content: "x" });
    const cursor = (sort: string, key: unknown[]) =>
      Buffer.from(JSON.stringify({ s: sort, k: key })).toString("base64url");
    for (const [path, sort, key] of [
      ["/posts", "hot", ["not a rank", "id"]],
      ["/posts", "top", [1.5, "2026-01-01T00:00:00.000Z", "id"]],
      ["/posts", "top", [1e12, "2026-01-01T00:00:00.000Z", "id"]],
      ["/posts", "new", [5, "id"]],
      ["/posts", "rising", [-1]],
      ["/feed", "hot", ["not a rank", "id"]],
    ] as const) {
      const response = await reef.api.get(`${path}?sort=${sort}&cursor=${cursor(sort, [...key])}`);
      expect([response.status, response.body.code, response.body.error], sort).toEqual([
        400,
        "BAD_REQUEST",
        "Invalid cursor",
      ]);
    }
  });
});

describe.each(DIALECTS)("%s: search", (dialect) => {
  it("finds posts, comments, agents and submolts, best first, never deleted content", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelpie");
    await reef.api.patch("/agents/me", { description: "I watch the tides" });
    // Unrelated posts, so that "tides" is a rare word as in any real corpus (BM25 needs that).
    for (const topic of ["crabs", "sand", "shells", "gulls", "waves", "boats"]) {
      await reef.api.post("/posts", { title: `About ${topic}`, content: `All about ${topic}.` });
    }
    await reef.api.post("/submolts", {
      name: "tidepools",
      description: "Where the tides leave little worlds",
    });
    const tides = (
      await reef.api.post("/posts", {
        title: "Spring tides explained",
        content: "The moon pulls the tides.",
      })
    ).body.post;
    await kelp.api.post("/posts", {
      title: "Kelp forests",
      content: "Tall algae; tides barely matter.",
    });
    const gone = (await kelp.api.post("/posts", { title: "Tides deleted", content: "tides" })).body
      .post;
    await kelp.api.delete(`/posts/${gone.id}`);
    await kelp.api.post(`/posts/${tides.id}/comments`, { content: "Neap tides too!" });

    const all = await apiClient(instance).get("/search?q=tides");
    expect(all.body).toMatchObject({ success: true, query: "tides", type: "all" });
    const types = all.body.results.map((r: { type: string }) => r.type).sort();
    expect(types).toEqual(["agent", "comment", "post", "post", "submolt"]);
    expect(all.body.results.map((r: { title: string }) => r.title)).not.toContain("Tides deleted");
    for (const result of all.body.results) {
      expect(result.similarity).toBeGreaterThan(0);
      expect(result.similarity).toBeLessThanOrEqual(1);
    }
    const similarities = all.body.results.map((r: { similarity: number }) => r.similarity);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    expect(all.body.posts[0]).toMatchObject({
      id: tides.id,
      type: "post",
      author: { name: "reef" },
      submolt: { name: "general" },
    });
    expect(all.body.comments[0]).toMatchObject({
      post_id: tides.id,
      post: { title: "Spring tides explained" },
    });
    // Every result carries the fields Moltbook's semantic search answers with.
    const fields = [
      "id",
      "type",
      "title",
      "content",
      "similarity",
      "author",
      "submolt",
      "post_id",
      "created_at",
      "upvotes",
      "downvotes",
    ];
    for (const result of all.body.results)
      expect(Object.keys(result), result.type).toEqual(expect.arrayContaining(fields));
    expect(all.body.posts[0]).toMatchObject({
      title: "Spring tides explained",
      content: "The moon pulls the tides.",
      post_id: tides.id,
      upvotes: 0,
      downvotes: 0,
    });
    expect(all.body.data).toEqual(all.body.results);
    expect(all.body.agents).toEqual([expect.objectContaining({ type: "agent", title: "reef" })]);
    expect(all.body.submolts).toEqual([
      expect.objectContaining({
        type: "submolt",
        submolt: expect.objectContaining({ name: "tidepools" }),
      }),
    ]);

    const posts = await apiClient(instance).get("/search?q=moon&type=posts");
    expect(posts.body.results.map((r: { id: string }) => r.id)).toEqual([tides.id]);
    const agents = await apiClient(instance).get("/search?q=kelpie&type=agents");
    expect(agents.body.results).toEqual([
      expect.objectContaining({ type: "agent", title: "kelpie", similarity: 1 }),
    ]);
    const prefix = await apiClient(instance).get("/search?q=tidepo&type=submolts");
    expect(prefix.body.results[0]).toMatchObject({
      type: "submolt",
      submolt: { name: "tidepools" },
    });
  });

  it("treats hostile queries as words and refuses bad parameters", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    await reef.api.post("/posts", { title: 'Quotes "and" stars', content: "near the reef" });
    const anon = apiClient(instance);
    for (const q of [
      '"unbalanced',
      "NEAR(reef",
      "reef*",
      "-reef",
      "reef OR",
      "a' or '1'='1",
      "(",
      "🐟 reef",
      "ÿ",
    ]) {
      const response = await anon.get(`/search?q=${encodeURIComponent(q)}`);
      expect(response.status, q).toBe(200);
    }
    expect(
      (await anon.get(`/search?q=${encodeURIComponent("NEAR(reef")}&type=posts`)).body.results,
    ).toHaveLength(1);
    const missing = await anon.get("/search");
    expect(refusal(missing)).toEqual([400, "VALIDATION_ERROR", "q is required"]);
    expect(missing.body.errors).toEqual([{ field: "q", message: "q is required" }]);
    expect(refusal(await anon.get("/search?q=%20%20"))).toEqual(refusal(missing));
    const long = await anon.get(`/search?q=${"a".repeat(501)}`);
    expect(refusal(long)).toEqual([400, "VALIDATION_ERROR", "q must be 500 characters or less"]);
    expect((await anon.get(`/search?q=${"a".repeat(500)}`)).status).toBe(200);
    expect(refusal(await anon.get("/search?q=x&type=images"))).toEqual([
      400,
      "VALIDATION_ERROR",
      "type must be one of posts, comments, agents, submolts, all",
    ]);
  });

  it("shows each viewer its own votes and this process's writes at once, though listings are cached", async () => {
    await using instance = await startInstance({ dialect });
    const author = await registerAgent(instance, "author");
    const voter = await registerAgent(instance, "voter");
    const post = (await author.api.post("/posts", { title: "one", content: "x" })).body.post;
    const hot = async (agent?: RegisteredAgent) => {
      const body = (await (agent?.api ?? apiClient(instance)).get("/posts?sort=hot")).body;
      return (body.posts as { id: string }[]).find((p) => p.id === post.id);
    };
    expect(await hot(voter)).toMatchObject({ score: 0, user_vote: null });
    expect(await hot()).toMatchObject({ score: 0, user_vote: null });
    await voter.api.post(`/posts/${post.id}/upvote`);
    expect(await hot(voter)).toMatchObject({ score: 1, user_vote: 1 });
    expect(await hot(author)).toMatchObject({ score: 1, user_vote: null });
    expect(await hot()).toMatchObject({ score: 1, user_vote: null });
    await voter.api.post(`/posts/${post.id}/downvote`);
    expect(await hot(voter)).toMatchObject({ score: -1, user_vote: -1 });
    // A write straight to the database, as a worker of this process would make one, shows too.
    await instance.db.db
      .updateTable("posts")
      .set({ title: "renamed" })
      .where("id", "=", post.id)
      .execute();
    expect(await hot()).toMatchObject({ title: "renamed" });
    await author.api.post("/posts", { title: "two", content: "y" });
    expect((await apiClient(instance).get("/posts?sort=new")).body.posts[0].title).toBe("two");
    // The personal feed too: each follower sees its own vote, and new posts at once.
    await voter.api.post("/agents/author/follow");
    const other = await registerAgent(instance, "other");
    await other.api.post("/agents/author/follow");
    const personal = async (agent: RegisteredAgent) =>
      ((await agent.api.get("/feed")).body.posts as { title: string; user_vote: unknown }[]).map(
        (p) => [p.title, p.user_vote],
      );
    expect(await personal(voter)).toEqual([
      ["two", null],
      ["renamed", -1],
    ]);
    expect(await personal(other)).toEqual([
      ["two", null],
      ["renamed", null],
    ]);
    await author.api.post("/posts", { title: "three", content: "z" });
    expect((await personal(other))[0]).toEqual(["three", null]);
  });
});
