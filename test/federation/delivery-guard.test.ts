import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture, type Json } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";
import { eventually } from "../harness/remote-api.ts";

// Deliveries are held to the rules of every other fetch (remote-fetch.ts), hop by hop: an inbox
// that redirects to a private address gets nothing there, and the delivery ends as a dead letter.
// A production instance (private addresses not allowed); remote servers sit on public IP
// literals so that no DNS is involved.

const REEF = "https://alpha.test/ap/actors/reef";

/** A Mastodon person at `base` whose inbox is `inbox`. */
function person(base: string, name: string, inbox?: string): Json {
  const id = `${base}/users/${name}`;
  return {
    ...fixture("mastodon/objects/person.json"),
    id,
    inbox: inbox ?? `${id}/inbox`,
    endpoints: {},
  };
}

function followOf(actorId: string): Json {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actorId}#follows/1`,
    type: "Follow",
    actor: actorId,
    object: REEF,
  };
}

describe.each(DIALECTS)("%s: the delivery guard", (dialect) => {
  it("never POSTs to a private address, whether an inbox redirects there (307, 308) or is one", {
    timeout: 40_000,
  }, async () => {
    await using net = await createNetwork(["alpha"], {
      dialect,
      allowPrivateAddress: false,
      queue: "db",
      delivery: {
        retry: { initialDelayMs: 50, maxDelayMs: 200, horizonMs: 1500, jitter: 0.2 },
        leaseMs: 5000,
      },
    });
    const alpha = net.instance("alpha");
    alpha.startWorkers();
    const reef = await registerAgent(alpha, "reef");

    // Whatever listens on internal addresses records every request that reaches it.
    const privateHits: string[] = [];
    for (const host of ["127.0.0.1:6379", "127.0.0.1:2375", "10.0.0.8"]) {
      net.addHost(host, async (request) => {
        privateHits.push(`${request.method} ${request.url}`);
        return new Response(null, { status: 202 });
      });
    }
    // Two followers on public addresses whose inboxes redirect POSTs inward.
    const redirecting = [
      { ip: "93.184.215.31", status: 307, to: "http://127.0.0.1:6379/inbox" },
      { ip: "93.184.215.32", status: 308, to: "http://127.0.0.1:2375/containers/create" },
    ];
    const inboxHits: string[] = [];
    for (const { ip, status, to } of redirecting) {
      const remote = await createFakeRemote(person(`https://${ip}`, "mole"));
      net.addHost(remote.host, async (request) => {
        if (request.method !== "POST") return remote.fetch(request);
        inboxHits.push(request.url);
        return new Response(null, { status, headers: { location: to } });
      });
      expect((await remote.send(`${REEF}/inbox`, followOf(remote.actorId))).status).toBe(202);
    }
    // A follower whose inbox is an internal address outright.
    const inward = await createFakeRemote(
      person("https://93.184.215.33", "inward", "http://10.0.0.8/inbox"),
    );
    net.addHost(inward.host, inward.fetch);
    expect((await inward.send(`${REEF}/inbox`, followOf(inward.actorId))).status).toBe(202);

    // The two Accepts go out through the queue; both end as dead letters.
    await net.drain();
    const status = await eventually(
      () => alpha.deliveries.status(),
      (s) => s.ready + s.delayed + s.inFlight === 0,
    );
    expect(privateHits).toEqual([]);
    expect(inboxHits.sort()).toEqual(redirecting.map((r) => `https://${r.ip}/users/mole/inbox`));
    expect(status).toMatchObject({ ready: 0, delayed: 0, inFlight: 0, dead: 2 });
    const reasons = (await alpha.deliveries.listDeadLetters()).map((l) => l.reason).sort();
    expect(reasons).toEqual([
      expect.stringMatching(/^Not delivered: .*http:\/\/127\.0\.0\.1:2375\/containers\/create/),
      expect.stringMatching(/^Not delivered: .*http:\/\/127\.0\.0\.1:6379\/inbox/),
    ]);
    // The redirecting followers were accepted (only their deliveries failed); the inward one not.
    expect((await reef.api.get("/agents/me")).body.agent.follower_count).toBe(2);
  });
});
