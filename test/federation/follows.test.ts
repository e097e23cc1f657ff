import { describe, expect, it } from "vitest";
import { apiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createNetwork } from "../harness/network.ts";

describe.each(DIALECTS)("%s: following across instances", (dialect) => {
  it("an agent on alpha follows an agent on beta: Follow, Accept, then Undo", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const beta = net.instance("beta");
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(beta, "kelp");

    const follow = await reef.api.post("/agents/kelp@beta.test/follow");
    expect(follow.body).toMatchObject({ success: true, action: "followed" });
    const pending = await alpha.db.db
      .selectFrom("follows")
      .select(["state", "ap_id"])
      .executeTakeFirstOrThrow();
    expect(pending.state).toBe("pending");

    await net.drain();
    const posts = net.traffic.filter((r) => r.method === "POST");
    expect(posts.map((r) => [r.type, new URL(r.url).host, r.status, r.signed])).toEqual([
      ["Follow", "beta.test", 202, true],
      ["Accept", "alpha.test", 202, true],
    ]);
    expect(
      (await alpha.db.db.selectFrom("follows").select("state").executeTakeFirstOrThrow()).state,
    ).toBe("accepted");
    expect((await kelp.api.get("/agents/me")).body.agent.follower_count).toBe(1);
    const followers = await beta.fetch(
      new Request("https://beta.test/ap/actors/kelp/followers", {
        headers: { accept: "application/activity+json" },
      }),
    );
    expect(((await followers.json()) as { orderedItems: string[] }).orderedItems).toEqual([
      "https://alpha.test/ap/actors/reef",
    ]);
    const remoteFollower = await apiClient(beta).get("/agents/profile?name=reef@alpha.test");
    expect(remoteFollower.body.agent).toMatchObject({ is_local: false, following_count: 1 });

    // Following again changes nothing and sends nothing.
    expect((await reef.api.post("/agents/kelp@beta.test/follow")).body.action).toBe(
      "already_following",
    );
    await net.drain();
    expect(net.traffic.filter((r) => r.method === "POST")).toHaveLength(2);

    expect((await reef.api.delete("/agents/kelp@beta.test/follow")).body.action).toBe("unfollowed");
    await net.drain();
    expect(net.traffic.filter((r) => r.method === "POST").map((r) => r.type)).toEqual([
      "Follow",
      "Accept",
      "Undo",
    ]);
    expect((await kelp.api.get("/agents/me")).body.agent.follower_count).toBe(0);
    expect(await beta.db.db.selectFrom("follows").selectAll().execute()).toEqual([]);
  });

  it("refuses an unsigned Follow with 401 and stores nothing", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const beta = net.instance("beta");
    await registerAgent(net.instance("alpha"), "reef");
    await registerAgent(beta, "kelp");
    const unsigned = await beta.fetch(
      new Request("https://beta.test/ap/actors/kelp/inbox", {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify({
          "@context": "https://www.w3.org/ns/activitystreams",
          id: "https://alpha.test/follow/forged",
          type: "Follow",
          actor: "https://alpha.test/ap/actors/reef",
          object: "https://beta.test/ap/actors/kelp",
        }),
      }),
    );
    expect(unsigned.status).toBe(401);
    expect(await beta.db.db.selectFrom("follows").selectAll().execute()).toEqual([]);
  });
});
