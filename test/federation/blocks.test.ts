import { signRequest } from "@fedify/fedify";
import { describe, expect, it } from "vitest";
import { createPageActivity as createPage } from "../harness/activities.ts";
import { apiClient, refusal, registerAgent } from "../harness/api.ts";
import { operatorCommand } from "../harness/cli.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fakeHost, fixture } from "../harness/fake-remote.ts";
import { startInstance } from "../harness/instance.ts";
import { createNetwork, type Network } from "../harness/network.ts";
import { eventually } from "../harness/remote-api.ts";

// The operator's blocks, between instances on the in-process network: a blocked instance is
// turned away at the inbox door (before its request is read) and gets no deliveries, and what it
// wrote is hidden; a blocked actor likewise, while its neighbours on the same server are not.

const titles = (response: { body: { posts: { title: string }[] } }) =>
  response.body.posts.map((p) => p.title);

/** Requests that crossed the network since `mark` (an index into net.traffic). */
const since = (net: Network, mark: number) => net.traffic.slice(mark);

describe.each(DIALECTS)("%s: operator blocks", (dialect) => {
  it("a blocked instance is refused at the door, gets no deliveries, and its content is hidden until unblocked", {
    timeout: 20_000,
  }, async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    // kelp (beta) follows reef, joins general@alpha.test and posts there.
    await kelp.api.post("/agents/reef@alpha.test/follow");
    await kelp.api.post("/submolts/general@alpha.test/subscribe");
    await net.drain();
    await kelp.api.post("/posts", {
      submolt: "general@alpha.test",
      title: "Hello from beta",
      content: "Tide pools",
    });
    await net.drain();
    const onAlpha = () => apiClient(alpha).get("/posts?sort=new");
    expect(titles(await onAlpha())).toEqual(["Hello from beta"]);
    const betaPostId = (await onAlpha()).body.posts[0].id;
    // reef's own post, with a comment from beta.
    const reefPost = await reef.api.post("/posts", { title: "Reef's pool", content: "Come see" });
    await net.drain();
    const [onBeta] = (await kelp.api.get("/feed?sort=new")).body.posts;
    await kelp.api.post(`/posts/${onBeta.id}/comments`, { content: "Lovely pool" });
    await net.drain();
    const thread = () => apiClient(alpha).get(`/posts/${reefPost.body.post.id}`);
    const comment = (await thread()).body.comments[0];
    expect(comment).toMatchObject({ content: "Lovely pool" });
    await reef.api.post(`/posts/${reefPost.body.post.id}/comments`, {
      content: "Thanks!",
      parent_id: comment.id,
    });
    const visible = ["Reef's pool", "Hello from beta"];
    expect(titles(await onAlpha())).toEqual(visible);

    expect(await operatorCommand(alpha, "block-instance", "beta.test", "--reason", "spam")).toMatch(
      /^Blocked beta\.test and its subdomains/,
    );
    const mark = net.traffic.length;

    // Its content is hidden: feeds, the post itself, comments, search, the author's profile.
    expect(titles(await onAlpha())).toEqual(["Reef's pool"]);
    expect(titles(await apiClient(alpha).get("/submolts/general/feed?sort=new"))).toEqual([
      "Reef's pool",
    ]);
    // A hidden comment keeps its place for the replies to it, as a deleted one does.
    expect((await thread()).body.comments[0]).toMatchObject({
      content: "[removed]",
      is_deleted: true,
      replies: [{ content: "Thanks!" }],
    });
    expect(refusal(await apiClient(alpha).get(`/posts/${betaPostId}`))).toEqual([
      404,
      "NOT_FOUND",
      "Post not found",
    ]);
    expect((await apiClient(alpha).get("/search?q=tide&type=posts")).body.results).toEqual([]);
    expect(
      (await apiClient(alpha).get("/agents/profile?name=kelp@beta.test")).body.recentPosts,
    ).toEqual([]);

    // Its activities are refused at the door: 403, and its key is never fetched.
    await kelp.api.post("/posts", {
      submolt: "general@alpha.test",
      title: "Still there?",
      content: "Knock knock",
    });
    await net.drain();
    // (Fedify knocks twice on a 4xx, once per signature spec; both are refused.)
    const refused = since(net, mark).filter((r) => r.method === "POST");
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect([r.type, r.url, r.status]).toEqual([
        "Create",
        "https://alpha.test/ap/actors/general/inbox",
        403,
      ]);
    }
    // Even nonsense signed with a key on a subdomain is refused before it is read.
    const sub = await createFakeRemote({
      ...fixture("mastodon/objects/person.json"),
      id: "https://cdn.beta.test/users/x",
      inbox: "https://cdn.beta.test/users/x/inbox",
    });
    net.addHost(sub.host, sub.fetch);
    const nonsense = await fetch(
      await signRequest(
        new Request("https://alpha.test/inbox", {
          method: "POST",
          headers: { "content-type": "application/activity+json" },
          body: "{ this is not JSON",
        }),
        sub.privateKey,
        new URL(sub.keyId),
      ),
    );
    expect(nonsense.status).toBe(403);
    expect(await nonsense.json()).toMatchObject({
      success: false,
      code: "FORBIDDEN",
      reason: "instance_blocked",
    });
    expect(since(net, mark).filter((r) => r.method === "GET")).toEqual([]);

    // Nothing is delivered to it: reef's post goes to no one on beta (a follower and a member).
    await reef.api.post("/posts", { title: "Only for friends", content: "Low tide" });
    await net.drain();
    expect(since(net, mark).filter((r) => new URL(r.url).host === "beta.test")).toEqual([]);
    expect(titles(await kelp.api.get("/feed?sort=new"))).not.toContain("Only for friends");

    expect(await operatorCommand(alpha, "blocks")).toMatch(/^instance\s+beta\.test\s+\S+\s+spam$/m);
    expect(await operatorCommand(alpha, "unblock-instance", "beta.test")).toBe(
      "Unblocked beta.test.",
    );
    expect(titles(await onAlpha())).toEqual(["Only for friends", ...visible]);
    expect((await thread()).body.comments[0]).toMatchObject({ content: "Lovely pool" });
    const after = net.traffic.length;
    const back = await reef.api.post("/posts", { title: "Back again", content: "High tide" });
    await net.drain();
    // (What beta sent while blocked may arrive meanwhile too, on its retries: so only this post's.)
    const backUrl = `https://alpha.test/post/${back.body.post.id}`;
    expect(
      since(net, after)
        .filter((r) => r.method === "POST" && new URL(r.url).host === "beta.test")
        .filter((r) => r.object?.startsWith(backUrl))
        .map((r) => [r.type, r.url, r.status]),
    ).toEqual([
      ["Create", "https://beta.test/inbox", 202],
      // The submolt announces the Create, and the Page for microblog followers.
      ["Announce", "https://beta.test/inbox", 202],
      ["Announce", "https://beta.test/inbox", 202],
    ]);
  });

  it("a blocked actor is refused and hidden, its neighbours on the same server are not", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const person = fixture("mastodon/objects/person.json");
    const [alice, bob] = await Promise.all(
      ["alice", "bob"].map((name) =>
        createFakeRemote({
          ...person,
          id: `https://masto.test/users/${name}`,
          inbox: `https://masto.test/users/${name}/inbox`,
          // Personal inboxes only: a shared inbox serves the whole server, blocked actor or not.
          endpoints: undefined,
          preferredUsername: name,
        }),
      ),
    );
    if (alice === undefined || bob === undefined) throw new Error("two remotes expected");
    net.addHost("masto.test", fakeHost([alice, bob]));
    for (const remote of [alice, bob]) {
      const follow = {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${remote.actorId}#follows/1`,
        type: "Follow",
        actor: remote.actorId,
        object: "https://alpha.test/ap/actors/reef",
      };
      expect((await remote.send("https://alpha.test/inbox", follow)).status).toBe(202);
      expect(
        (
          await remote.send(
            "https://alpha.test/inbox",
            createPage(remote.actorId, `By ${remote.actorId}`),
          )
        ).status,
      ).toBe(202);
    }
    await net.drain();
    const feed = async () => titles(await apiClient(alpha).get("/posts?sort=new"));
    expect(await feed()).toHaveLength(2);

    const refusedActor = await operatorCommand(alpha, "block-actor", alice.actorId);
    expect(refusedActor).toBe(`Blocked ${alice.actorId}.`);
    expect(await feed()).toEqual([`By ${bob.actorId}`]);

    const create = createPage(alice.actorId, "Blocked words");
    const response = await alice.send("https://alpha.test/inbox", create);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "FORBIDDEN", reason: "actor_blocked" });
    expect(
      (await bob.send("https://alpha.test/inbox", createPage(bob.actorId, "Fine"))).status,
    ).toBe(202);
    expect(await feed()).toEqual(["Fine", `By ${bob.actorId}`]);

    // reef's followers on masto.test: bob gets the post, alice does not.
    await reef.api.post("/posts", { title: "News", content: "for followers" });
    await net.drain();
    const creates = (remote: typeof alice) =>
      remote.received.filter((a) => a.body.type === "Create").length;
    expect([creates(alice), creates(bob)]).toEqual([0, 1]);

    expect(await operatorCommand(alpha, "unblock-actor", alice.actorId)).toBe(
      `Unblocked ${alice.actorId}.`,
    );
    expect(await feed()).toEqual(["News", "Fine", `By ${bob.actorId}`, `By ${alice.actorId}`]);
  });

  it("sets deliveries queued before the block aside as dead letters instead of sending them", async () => {
    await using alpha = await startInstance({ dialect, queue: "db" });
    await alpha.queue?.enqueue({
      type: "outbox",
      inbox: "https://evil.test/inbox",
      activityId: "https://alpha.test/activities/1",
      activityType: "https://www.w3.org/ns/activitystreams#Create",
      keys: [],
    });
    await operatorCommand(alpha, "block-instance", "evil.test");
    alpha.startWorkers();
    const status = await eventually(
      () => alpha.deliveries.status(),
      (s) => s.dead === 1,
    );
    expect(status).toMatchObject({ ready: 0, dead: 1 });
    const [letter] = await alpha.deliveries.listDeadLetters();
    expect(letter?.reason).toBe("Not delivered: evil.test is blocked by the operator");
  });

  it("holds the next delivery to an instance blocked while deliveries were going out", async () => {
    await using alpha = await startInstance({ dialect, queue: "db" });
    const delivery = (host: string, n: number) => ({
      type: "outbox",
      inbox: `https://${host}/inbox`,
      activityId: `https://alpha.test/activities/${n}`,
      activityType: "https://www.w3.org/ns/activitystreams#Create",
      keys: [],
    });
    alpha.startWorkers();
    // A delivery elsewhere first: the blocks are read (and kept) before the operator acts.
    await alpha.queue?.enqueue(delivery("elsewhere.test", 1));
    await eventually(
      () => alpha.deliveries.status(),
      (s) => s.ready === 0 && s.inFlight === 0,
    );
    await operatorCommand(alpha, "block-instance", "evil.test");
    await alpha.queue?.enqueue(delivery("evil.test", 2));
    const status = await eventually(
      () => alpha.deliveries.status(),
      (s) => s.dead === 1,
    );
    expect(status.dead).toBe(1);
    const [letter] = await alpha.deliveries.listDeadLetters();
    expect(letter?.reason).toBe("Not delivered: evil.test is blocked by the operator");
  });

  it("refuses bad operator input and changes nothing", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    await registerAgent(alpha, "reef");
    const refusals: [string[], RegExp][] = [
      [["block-instance", "not a host!"], /Not an instance host/],
      [["block-instance", "alpha.test"], /cannot block itself/],
      [["block-actor", "https://alpha.test/ap/actors/reef"], /suspended, not blocked/],
      [["block-actor", "mailto:someone@example.org"], /Not an actor URL/],
      [["suspend-agent", "nobody"], /Agent not found/],
      [["block-instance"], /Usage/],
      [["block-instance", "evil.test", "--reason"], /Usage/],
      [["suspend-agent", "reef", "--reason"], /Usage/],
      [["unsuspend-agent", "reef", "--reason", "x"], /Usage/],
    ];
    for (const [args, message] of refusals) {
      await expect(operatorCommand(alpha, ...args), args.join(" ")).rejects.toThrow(message);
    }
    expect(await operatorCommand(alpha, "blocks")).toBe("Nothing is blocked or suspended.");
  });

  it("limits inbox requests per remote instance with 429 and Retry-After", async () => {
    await using net = await createNetwork(["alpha"], {
      dialect,
      limits: {
        enabled: true,
        inboxPerMinutePerInstance: 2,
        readsPerMinute: 1000,
        writesPerMinute: 1000,
      },
    });
    const alpha = net.instance("alpha");
    await registerAgent(alpha, "reef");
    const busy = await createFakeRemote(fixture("mastodon/objects/person.json"));
    const other = await createFakeRemote(fixture("lemmy/objects/person.json"));
    for (const remote of [busy, other]) net.addHost(remote.host, remote.fetch);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await busy.send(
        "https://alpha.test/inbox",
        createPage(busy.actorId, `Post ${i}`),
      );
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(await response.json()).toMatchObject({ success: false, code: "RATE_LIMITED" });
      }
    }
    expect(statuses).toEqual([202, 202, 429]);
    const stored = await alpha.db.db.selectFrom("posts").select("title").orderBy("title").execute();
    expect(stored.map((p) => p.title)).toEqual(["Post 0", "Post 1"]);
    // Another instance has its own quota.
    expect(
      (await other.send("https://alpha.test/inbox", createPage(other.actorId, "Other"))).status,
    ).toBe(202);
  });
});
