import { describe, expect, it } from "vitest";
import { apiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createNetwork } from "../harness/network.ts";

// Activities that arrive before what they depend on: a vote or a reply relayed for a post (or a
// comment) this instance never received. The missing content is fetched from its origin first.

describe.each(DIALECTS)("%s: replies and votes that overtake their post", (dialect) => {
  it("fetches the post and the parent comment a relayed reply or vote is about", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const coral = await registerAgent(alpha, "coral");
    // Posted and commented on before beta joins: beta never gets their Announces.
    const post = await reef.api.post("/posts", { title: "Before you came", content: "Old news" });
    const first = await coral.api.post(`/posts/${post.body.post.id}/comments`, {
      content: "An old comment",
    });
    await net.drain();
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    await kelp.api.post("/submolts/general@alpha.test/subscribe");
    await net.drain();
    const onBeta = () =>
      net
        .instance("beta")
        .db.db.selectFrom("posts")
        .select(["id", "title", "score", "comment_count"])
        .where("ap_id", "=", post.body.post.ap_id)
        .executeTakeFirst();
    expect(await onBeta()).toBeUndefined();

    // A vote on the old post, and a reply to the old comment, reach beta through the submolt.
    await coral.api.post(`/posts/${post.body.post.id}/upvote`);
    await reef.api.post(`/posts/${post.body.post.id}/comments`, {
      content: "A reply to the old comment",
      parent_id: first.body.comment.id,
    });
    await net.drain();

    const stored = await onBeta();
    expect(stored).toMatchObject({ title: "Before you came", score: 1, comment_count: 2 });
    const thread = await apiClient(net.instance("beta")).get(`/posts/${stored?.id}`);
    expect(thread.body.comments).toHaveLength(1);
    expect(thread.body.comments[0]).toMatchObject({
      content: "An old comment",
      author: { handle: "coral@alpha.test" },
    });
    expect(thread.body.comments[0].replies[0]).toMatchObject({
      content: "A reply to the old comment",
      author: { handle: "reef@alpha.test" },
    });
  });
});
