import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, type FakeRemote, fixture, type Json } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

// Deliveries through the real durable queue and its workers (not inline), to followers whose
// servers are gone or unreachable. Retries are time-based, so these wait (bounded) for state.

const REEF = "https://alpha.test/ap/actors/reef";

async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Not settled within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A fixture person on its own host, following reef. */
async function follower(actorFixture: Json, host: string): Promise<FakeRemote> {
  const id = `https://${host}/users/${host.split(".")[0]}`;
  return createFakeRemote({
    ...actorFixture,
    id,
    inbox: `${id}/inbox`,
    endpoints: { sharedInbox: `https://${host}/inbox` },
  });
}

function followOf(remote: FakeRemote): Json {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${remote.actorId}#follows/1`,
    type: "Follow",
    actor: remote.actorId,
    object: REEF,
  };
}

describe.each(DIALECTS)("%s: deliveries that fail", (dialect) => {
  it("a follower whose server answers 410 is removed; an unreachable one ends as a dead letter; others still get the post", {
    timeout: 40_000,
  }, async () => {
    await using net = await createNetwork(["alpha"], {
      dialect,
      queue: "db",
      delivery: {
        retry: { initialDelayMs: 50, maxDelayMs: 200, horizonMs: 1500, jitter: 0.2 },
        circuitRecoveryMs: 300,
        leaseMs: 5000,
      },
    });
    const alpha = net.instance("alpha");
    alpha.startWorkers();
    const person = fixture("mastodon/objects/person.json");
    const gone = await follower(person, "gone.example");
    const down = await follower(person, "down.example");
    const alive = await follower(person, "alive.example");
    net.addHost(gone.host, gone.fetch);
    net.addHost(alive.host, alive.fetch);
    net.addHost(down.host, down.fetch);
    let downAttempts = 0;
    const refuseConnections = async (): Promise<Response> => {
      downAttempts++;
      throw new TypeError("fetch failed: connect ECONNREFUSED");
    };
    const reef = await registerAgent(alpha, "reef");

    // All three follow reef and get their Accept; then one server is gone, one unreachable.
    for (const remote of [gone, alive, down]) {
      expect((await remote.send(`${REEF}/inbox`, followOf(remote))).status).toBe(202);
    }
    await eventually(
      async () => (await reef.api.get("/agents/me")).body.agent.follower_count === 3,
    );
    await net.drain();
    await eventually(async () =>
      [gone, alive, down].every((r) => r.received.some((a) => a.body.type === "Accept")),
    );
    net.addHost(down.host, refuseConnections);
    gone.answerEverythingWith(410);

    const post = await reef.api.post("/posts", { title: "Still here?", content: "Roll call" });
    expect(post.status).toBe(201);
    await net.drain();

    await eventually(async () => (await alpha.deliveries.status()).dead === 2);
    const dead = await alpha.deliveries.listDeadLetters();
    const byHost = Object.fromEntries(dead.map((d) => [d.host, d]));
    expect(byHost["gone.example"]?.reason).toMatch(
      /^HTTP 410 from https:\/\/gone\.example\/inbox; 1 of 1 recipients gone, 1 follows/,
    );
    expect(byHost["down.example"]?.reason).toContain("ECONNREFUSED");
    expect(byHost["down.example"]?.activityType).toBe(
      "https://www.w3.org/ns/activitystreams#Create",
    );
    expect(downAttempts).toBeGreaterThanOrEqual(3);

    // The gone follower no longer follows; the unreachable one still does; alive got the post.
    expect((await reef.api.get("/agents/me")).body.agent.follower_count).toBe(2);
    const creates = alive.received.filter((a) => a.body.type === "Create");
    expect(creates).toHaveLength(1);
    expect(creates[0]?.body.object).toMatchObject({ type: "Note", name: "Still here?" });
    expect(await alpha.deliveries.status()).toMatchObject({ ready: 0, inFlight: 0, dead: 2 });
  });
});
