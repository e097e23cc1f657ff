import { describe, expect, it } from "vitest";
import { apiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

describe.each(DIALECTS)("%s: edits and deletions across instances", (dialect) => {
  it("an edit and a delete by the author converge on every instance", async () => {
    await using net = await createNetwork(["alpha", "beta", "gamma"], { dialect });
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    const coral = await registerAgent(net.instance("gamma"), "coral");
    await kelp.api.post("/submolts/general@alpha.test/subscribe");
    await coral.api.post("/submolts/general@alpha.test/subscribe");
    await net.drain();
    const post = (
      await kelp.api.post("/posts", {
        submolt: "https://alpha.test/ap/actors/general",
        title: "Draft",
        content: "v1",
      })
    ).body.post;
    const comment = (
      await kelp.api.post(`/posts/${post.id}/comments`, { content: "first thought" })
    ).body.comment;
    await net.drain();

    const copies = async () =>
      Promise.all(
        ["alpha", "beta", "gamma"].map((name) =>
          net
            .instance(name)
            .db.db.selectFrom("posts")
            .select(["title", "content", "deleted_at"])
            .where("ap_id", "=", post.ap_id)
            .executeTakeFirst(),
        ),
      );
    const commentCopies = async () =>
      Promise.all(
        ["alpha", "beta", "gamma"].map((name) =>
          net
            .instance(name)
            .db.db.selectFrom("comments")
            .select(["content", "deleted_at"])
            .where("ap_id", "=", comment.ap_id)
            .executeTakeFirst(),
        ),
      );
    expect((await copies()).map((c) => c?.title)).toEqual(["Draft", "Draft", "Draft"]);

    const edited = await kelp.api.patch(`/posts/${post.id}`, { title: "Final", content: "v2" });
    expect(edited.body.post).toMatchObject({ title: "Final", content: "v2" });
    expect(
      (await kelp.api.patch(`/comments/${comment.id}`, { content: "second thought" })).status,
    ).toBe(200);
    await net.drain();
    expect(await copies()).toEqual(
      Array(3).fill({ title: "Final", content: "v2", deleted_at: null }),
    );
    expect((await commentCopies()).map((c) => c?.content)).toEqual(Array(3).fill("second thought"));

    expect((await kelp.api.delete(`/comments/${comment.id}`)).status).toBe(200);
    expect((await kelp.api.delete(`/posts/${post.id}`)).status).toBe(200);
    await net.drain();
    expect((await copies()).every((c) => c?.deleted_at !== null)).toBe(true);
    expect(
      (await commentCopies()).every((c) => c?.deleted_at !== null && c?.content === "[deleted]"),
    ).toBe(true);
    expect((await apiClient(net.instance("gamma")).get("/posts?sort=new")).body.posts).toEqual([]);
  });

  it("refuses edits and deletes from anyone but the author or the group", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const stranger = await createFakeRemote(fixture("mastodon/objects/person.json"));
    net.addHost(stranger.host, stranger.fetch);
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    await kelp.api.post("/submolts/general@alpha.test/subscribe");
    await net.drain();
    const post = (
      await kelp.api.post("/posts", { submolt: "general@alpha.test", title: "Mine", content: "x" })
    ).body.post;
    await net.drain();
    const origin = new URL(stranger.actorId).origin;
    const del = await stranger.send("https://alpha.test/inbox", {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${origin}/delete/1`,
      type: "Delete",
      actor: stranger.actorId,
      object: post.ap_id,
    });
    expect(del.status).toBe(202);
    const update = await stranger.send("https://alpha.test/inbox", {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${origin}/update/1`,
      type: "Update",
      actor: stranger.actorId,
      object: {
        id: post.ap_id,
        type: "Page",
        name: "Defaced",
        attributedTo: post.ap_id.replace(/post\/.*/, "ap/actors/kelp"),
      },
    });
    expect(update.status).toBeLessThan(500);
    const row = await net
      .instance("alpha")
      .db.db.selectFrom("posts")
      .select(["title", "deleted_at"])
      .where("ap_id", "=", post.ap_id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ title: "Mine", deleted_at: null });
  });
});
