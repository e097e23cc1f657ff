import { describe, expect, it } from "vitest";
import { apiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { logRecords } from "../harness/logs.ts";
import { createNetwork } from "../harness/network.ts";

const titles = (body: { posts: { title: string }[] }) => body.posts.map((p) => p.title);

describe.each(DIALECTS)("%s: submolts across instances (FEP-1b12)", (dialect) => {
  it("agents on beta and gamma join general@alpha; a post from beta reaches alpha and gamma", async () => {
    await using net = await createNetwork(["alpha", "beta", "gamma"], { dialect });
    const alpha = net.instance("alpha");
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    const coral = await registerAgent(net.instance("gamma"), "coral");
    const reef = await registerAgent(alpha, "reef");

    expect((await kelp.api.post("/submolts/general@alpha.test/subscribe")).body.action).toBe(
      "subscribed",
    );
    // An actor URL names a submolt as well as name@host does.
    const generalUrl = encodeURIComponent("https://alpha.test/ap/actors/general");
    expect((await coral.api.post(`/submolts/${generalUrl}/subscribe`)).body.action).toBe(
      "subscribed",
    );
    await net.drain();
    expect((await apiClient(alpha).get("/submolts/general")).body.submolt.subscriber_count).toBe(2);
    const remoteCopy = await kelp.api.get("/submolts/general@alpha.test");
    expect(remoteCopy.body.submolt).toMatchObject({
      is_local: false,
      handle: "general@alpha.test",
      is_subscribed: true,
    });

    // A member on beta posts into the submolt hosted on alpha.
    const post = await kelp.api.post("/posts", {
      submolt: "general@alpha.test",
      title: "From beta",
      content: "Hello alpha",
    });
    expect(post.status).toBe(201);
    await net.drain();

    expect(titles((await apiClient(alpha).get("/submolts/general/feed?sort=new")).body)).toEqual([
      "From beta",
    ]);
    const onGamma = await coral.api.get("/feed?sort=new");
    expect(titles(onGamma.body)).toEqual(["From beta"]);
    expect(onGamma.body.posts[0]).toMatchObject({
      ap_id: post.body.post.ap_id,
      author: { handle: "kelp@beta.test" },
      submolt: { handle: "general@alpha.test" },
    });
    // The Group relays the Create (FEP-1b12) and the post itself (a boost to microblog
    // followers), each by URL, to both subscribed servers.
    const announces = net.traffic.filter((r) => r.type === "Announce");
    expect(announces.map((r) => [new URL(r.url).host, r.object, r.status]).sort()).toEqual(
      [
        ["beta.test", post.body.post.ap_id],
        ["beta.test", `${post.body.post.ap_id}/create`],
        ["gamma.test", post.body.post.ap_id],
        ["gamma.test", `${post.body.post.ap_id}/create`],
      ].map((a) => [...a, 202]),
    );
    // gamma took the post from the relayed Create; the Announce of the post found it known.
    const onGammaVerdicts = logRecords()
      .filter((r) => r.properties.instance === "gamma.test" && r.properties.type === "Announce")
      .map((r) => [
        String(r.properties.id).endsWith("/object") ? "Page" : "Create",
        r.properties.reason,
      ]);
    expect(onGammaVerdicts).toEqual([
      ["Create", undefined],
      ["Page", "unknown, local, deleted or unchanged content, or another author's"],
    ]);

    // A comment from gamma and a vote from beta: all three agree on thread, score and karma.
    const krill = await registerAgent(net.instance("beta"), "krill");
    const onGammaId = onGamma.body.posts[0].id;
    const reply = await coral.api.post(`/posts/${onGammaId}/comments`, {
      content: "Greetings from gamma",
    });
    expect(reply.status).toBe(201);
    const onBeta = await krill.api.get(`/posts/${post.body.post.id}`);
    expect(onBeta.status).toBe(200);
    await net.drain();
    /** All three instances hold the same thread, score and author's karma. */
    const agree = async (score: number, upvotes: number, downvotes: number) => {
      for (const name of ["alpha", "beta", "gamma"]) {
        const instance = net.instance(name);
        const row = await instance.db.db
          .selectFrom("posts")
          .select(["id", "score", "upvotes", "downvotes", "comment_count"])
          .where("ap_id", "=", post.body.post.ap_id)
          .executeTakeFirstOrThrow();
        expect(row, name).toMatchObject({ score, upvotes, downvotes, comment_count: 1 });
        const thread = await apiClient(instance).get(`/posts/${row.id}`);
        expect(
          thread.body.comments.map((c: { content: string; author: { handle: string } }) => [
            c.content,
            c.author.handle,
          ]),
          name,
        ).toEqual([["Greetings from gamma", "coral@gamma.test"]]);
        const author = await apiClient(instance).get("/agents/profile?name=kelp@beta.test");
        expect(author.body.agent.karma, name).toBe(score);
      }
    };
    const vote = async (direction: "upvote" | "downvote") => {
      const response = await krill.api.post(`/posts/${post.body.post.id}/${direction}`);
      await net.drain();
      return response.body.action;
    };
    expect(await vote("upvote")).toBe("upvoted");
    await agree(1, 1, 0);
    // Changed (Undo of the Like, then a Dislike), then taken back (Undo): everywhere alike.
    expect(await vote("downvote")).toBe("changed");
    await agree(-1, 0, 1);
    expect(await vote("downvote")).toBe("removed");
    await agree(0, 0, 0);
    expect(await vote("upvote")).toBe("upvoted");
    await agree(1, 1, 0);

    // A local post on alpha reaches both subscribers too.
    await reef.api.post("/posts", { title: "From alpha", content: "Welcome" });
    await net.drain();
    expect(titles((await coral.api.get("/feed?sort=new")).body)).toEqual([
      "From alpha",
      "From beta",
    ]);
    expect(titles((await kelp.api.get("/feed?sort=new")).body)).toEqual([
      "From alpha",
      "From beta",
    ]);

    // Leaving stops the flow: the Undo reaches alpha, which then sends gamma nothing more.
    const leaving = net.traffic.length;
    expect((await coral.api.delete("/submolts/general@alpha.test/subscribe")).body.action).toBe(
      "unsubscribed",
    );
    await net.drain();
    expect(net.traffic.slice(leaving).filter((r) => r.method === "POST")).toEqual([
      expect.objectContaining({
        type: "Undo",
        url: "https://alpha.test/ap/actors/general/inbox",
        status: 202,
      }),
    ]);
    expect((await apiClient(alpha).get("/submolts/general")).body.submolt.subscriber_count).toBe(1);
    expect((await coral.api.get("/submolts/general@alpha.test")).body.submolt.is_subscribed).toBe(
      false,
    );
    const left = net.traffic.length;
    await reef.api.post("/posts", { title: "After gamma left", content: "x" });
    await net.drain();
    const after = net.traffic.slice(left).filter((r) => r.method === "POST");
    expect(after.map((r) => new URL(r.url).host)).not.toContain("gamma.test");
    expect(after.map((r) => [r.type, new URL(r.url).host])).toContainEqual([
      "Announce",
      "beta.test",
    ]);
    expect(titles((await kelp.api.get("/feed?sort=new")).body)).toContain("After gamma left");
    const gammaPosts = await net
      .instance("gamma")
      .db.db.selectFrom("posts")
      .select("title")
      .execute();
    expect(gammaPosts.map((p) => p.title)).not.toContain("After gamma left");
  });
});
