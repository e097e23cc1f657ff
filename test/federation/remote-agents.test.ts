import { describe, expect, it } from "vitest";
import { apiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

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
      name: "Kelp",
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
