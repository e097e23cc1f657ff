import { describe, expect, it } from "vitest";
import { apiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fakeHost, fixture } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

const GENERAL = "https://alpha.test/ap/actors/general";

describe.each(DIALECTS)("%s: remote agents", (dialect) => {
  it("looks up name@host over WebFinger and stores the remote agent", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const kelp = await registerAgent(net.instance("beta"), "Kelp");
    await kelp.api.patch("/agents/me", {
      display_name: "Kelp <3",
      description: "Beta's <b>own</b>",
    });

    const profile = await apiClient(alpha).get("/agents/profile?name=kelp@beta.test");
    expect(profile.status).toBe(200);
    expect(profile.body.agent).toMatchObject({
      name: "Kelp@beta.test",
      display_name: "Kelp <3",
      description: "Beta's <b>own</b>",
      handle: "kelp@beta.test",
      ap_id: "https://beta.test/ap/actors/kelp",
      instance: "beta.test",
      is_local: false,
    });
    expect(
      net.traffic.some((r) => r.url.startsWith("https://beta.test/.well-known/webfinger")),
    ).toBe(true);

    const stored = await alpha.db.db
      .selectFrom("agents")
      .select(["inbox_url", "shared_inbox_url", "actor_type", "api_key_hash"])
      .where("handle", "=", "kelp@beta.test")
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      inbox_url: "https://beta.test/ap/actors/kelp/inbox",
      shared_inbox_url: "https://beta.test/inbox",
      actor_type: "Service",
      api_key_hash: null,
    });

    // Known now: a second lookup needs no network, and an actor URL names the same row.
    const before = net.traffic.length;
    const byUrl = await apiClient(alpha).get(
      `/agents/profile?name=${encodeURIComponent("https://beta.test/ap/actors/kelp")}`,
    );
    expect(byUrl.body.agent.id).toBe(profile.body.agent.id);
    expect(net.traffic.length).toBe(before);
  });

  it("answers 404 for remote names that do not exist or hosts it cannot reach", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const anon = apiClient(net.instance("alpha"));
    expect((await anon.get("/agents/profile?name=ghost@beta.test")).status).toBe(404);
    expect((await anon.get("/agents/profile?name=ghost@elsewhere.test")).status).toBe(404);
    // A submolt (Group) is not an agent.
    expect((await anon.get("/agents/profile?name=general@beta.test")).status).toBe(404);
  });

  it("normalises remote names and always shows remote authors with their host", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    await registerAgent(alpha, "reef");
    // Fullwidth letters and a zero-width space; a local agent's name; bidi controls around
    // characters no remote name may hold (so the actor URL names it).
    const names = {
      admin: "\uFF41\uFF44\uFF4D\uFF49\uFF4E\u200B",
      reef: "reef",
      "x-9": "\u202Eadmin\u202C<b>",
    };
    const remotes = await Promise.all(
      Object.entries(names).map(([path, preferredUsername]) =>
        createFakeRemote({
          ...fixture("mastodon/objects/person.json"),
          id: `https://evil.test/users/${path}`,
          inbox: `https://evil.test/users/${path}/inbox`,
          endpoints: undefined,
          preferredUsername,
          name: `\u202E${path}`,
        }),
      ),
    );
    net.addHost("evil.test", fakeHost(remotes));
    for (const remote of remotes) {
      const create = {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${remote.actorId}/create/1`,
        type: "Create",
        actor: remote.actorId,
        object: {
          id: `${remote.actorId}/post/1`,
          type: "Page",
          name: `By ${remote.actorId}`,
          attributedTo: remote.actorId,
          audience: GENERAL,
          to: [GENERAL, "https://www.w3.org/ns/activitystreams#Public"],
        },
      };
      expect((await remote.send("https://alpha.test/inbox", create)).status).toBe(202);
    }
    const shown = ["admin@evil.test", "reef@evil.test", "x-9@evil.test"];

    const feed = (await apiClient(alpha).get("/posts?sort=new")).body.posts;
    const authors = feed.map((p: { author_name: string; author: { name: string } }) => [
      p.author_name,
      p.author.name,
    ]);
    expect(authors.sort()).toEqual(shown.map((name) => [name, name]));
    const profile = await apiClient(alpha).get("/agents/profile?name=admin@evil.test");
    expect(profile.body.agent).toMatchObject({ name: "admin@evil.test", display_name: "admin" });
    expect((await apiClient(alpha).get("/agents/profile?name=reef")).body.agent.name).toBe("reef");
    const search = await apiClient(alpha).get("/search?q=evil.test&type=posts");
    expect(
      search.body.results.map((r: { author: { name: string } }) => r.author.name).sort(),
    ).toEqual(shown);
    const page = await alpha.request("/m/general", { headers: { accept: "text/html" } });
    // Its page here, and its instance beside its name.
    expect(await page.text()).toContain(
      `<a href="/u/admin@evil.test">admin</a> <span class="instance">from evil.test</span>`,
    );
  });

  it("reads a remote profile of endless unclosed tags promptly, keeping its text", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const person = fixture("mastodon/objects/person.json");
    // Regular expressions over this markup backtracked for tens of seconds, stalling the server.
    const summary = `<p>Tide &amp; reef notes</p>${"<a".repeat(200_000)}`;
    const remote = await createFakeRemote({ ...person, summary });
    net.addHost(remote.host, remote.fetch);

    const started = performance.now();
    const profile = await apiClient(net.instance("alpha")).get(
      `/agents/profile?name=${encodeURIComponent(remote.actorId)}`,
    );
    const elapsed = performance.now() - started;

    expect(profile.status).toBe(200);
    expect(profile.body.agent).toMatchObject({ description: "Tide & reef notes", is_local: false });
    // Linear reading takes milliseconds; the quadratic one took about 40 seconds.
    expect(elapsed).toBeLessThan(5000);
  });
});
