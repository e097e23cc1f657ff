import { describe, expect, it } from "vitest";
import { apiClient, domainRowCounts, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture, type Json } from "../harness/fake-remote.ts";
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

  it("stores only public inboxes of followers, and refuses a follower without one", async () => {
    // Private addresses refused, as in production: the remote servers sit on public IP literals
    // (no DNS here), and point their inboxes at internal services.
    await using net = await createNetwork(["alpha"], { dialect, allowPrivateAddress: false });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const internal: string[] = [];
    for (const host of ["127.0.0.1:8080", "10.0.0.5", "169.254.169.254"]) {
      net.addHost(host, async (request) => {
        internal.push(request.url);
        return new Response(null, { status: 202 });
      });
    }
    const person = (id: string, inbox: string, sharedInbox: string): Json => ({
      ...fixture("mastodon/objects/person.json"),
      id,
      inbox,
      endpoints: { sharedInbox },
    });
    const follow = (actor: string): Json => ({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${actor}#follow`,
      type: "Follow",
      actor,
      object: "https://alpha.test/ap/actors/reef",
    });

    const inboxesOf = (apId: string) =>
      alpha.db.db
        .selectFrom("agents")
        .select(["inbox_url", "shared_inbox_url"])
        .where("ap_id", "=", apId)
        .executeTakeFirst();
    // A remote on a public IP literal, whose inboxes point where it pleases, follows reef.
    const followAs = async (id: string, inbox: string, sharedInbox: string) => {
      const remote = await createFakeRemote(person(id, inbox, sharedInbox));
      net.addHost(remote.host, remote.fetch);
      const sent = await remote.send("https://alpha.test/ap/actors/reef/inbox", follow(id));
      expect(sent.status).toBe(202);
      await net.drain();
      return remote;
    };

    const before = await domainRowCounts(alpha);
    const blind = await followAs(
      "https://93.184.215.14/users/blind",
      "http://127.0.0.1:8080/admin/hook",
      "http://169.254.169.254/latest",
    );
    expect(await inboxesOf(blind.actorId)).toEqual({ inbox_url: null, shared_inbox_url: null });
    // The actor is known now (without inboxes); no follow, nothing else.
    expect(await domainRowCounts(alpha)).toEqual({ ...before, agents: (before.agents ?? 0) + 1 });

    // Public inbox, private shared inbox: followed, answered at the inbox, the rest dropped.
    const half = await followAs(
      "https://93.184.215.15/users/half",
      "https://93.184.215.15/users/half/inbox",
      "https://10.0.0.5/inbox",
    );
    expect(half.received.map((r) => [r.body.type, r.inbox])).toEqual([
      ["Accept", "https://93.184.215.15/users/half/inbox"],
    ]);
    expect(await inboxesOf(half.actorId)).toEqual({
      inbox_url: "https://93.184.215.15/users/half/inbox",
      shared_inbox_url: null,
    });
    await reef.api.post("/posts", { title: "Hello", content: "x" });
    await net.drain();
    expect(half.received.map((r) => r.body.type)).toEqual(["Accept", "Create"]);
    expect((await reef.api.get("/agents/me")).body.agent.follower_count).toBe(1);
    expect(internal).toEqual([]);
  });
});
