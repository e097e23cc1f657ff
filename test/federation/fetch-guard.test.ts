import { describe, expect, it } from "vitest";
import { apiClient, refusal } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

// What a production instance (private addresses not allowed) refuses to fetch when an agent
// looks a remote actor up by URL: each lookup answers 404 and stores nothing. Remote servers
// sit on public IP literals, so that no DNS is involved; the private ones must never be reached.

const PUBLIC = (n: number) => `93.184.215.${n}`;

/** Mastodon's actor document, as if served from `base` (so that only the guard can refuse it). */
function person(base: string, name: string) {
  const id = `${base}/users/${name}`;
  return { ...fixture("mastodon/objects/person.json"), id, inbox: `${id}/inbox` };
}

describe.each(DIALECTS)("%s: the outbound fetch guard", (dialect) => {
  it("refuses redirects to private addresses, long redirect chains, oversized and slow answers", async () => {
    await using net = await createNetwork(["alpha"], {
      dialect,
      allowPrivateAddress: false,
      fetch: { timeoutMs: 300 },
    });
    const alpha = net.instance("alpha");
    const api = apiClient(alpha);
    const lookUp = (url: string) => api.get(`/agents/profile?name=${encodeURIComponent(url)}`);
    const remoteAgents = async () =>
      alpha.db.db.selectFrom("agents").select("ap_id").where("is_local", "=", 0).execute();

    // An honest actor on a public address is found: the guard is not refusing everything.
    const honest = await createFakeRemote(person(`https://${PUBLIC(1)}`, "honest"));
    net.addHost(honest.host, honest.fetch);
    const found = await lookUp(honest.actorId);
    expect(found.status).toBe(200);
    expect(found.body.agent.ap_id).toBe(honest.actorId);

    const privateHits: string[] = [];
    for (const host of ["127.0.0.1:8080", "169.254.169.254", "10.0.0.7"]) {
      net.addHost(host, async (request) => {
        privateHits.push(request.url);
        return Response.json(person(new URL(request.url).origin, "admin"));
      });
    }
    const redirect = (to: string) => async () =>
      new Response(null, { status: 302, headers: { location: to } });
    net.addHost(PUBLIC(2), redirect("http://127.0.0.1:8080/users/admin"));
    net.addHost(PUBLIC(3), redirect("http://169.254.169.254/latest/meta-data/"));
    let hops = 0;
    net.addHost(PUBLIC(4), async (request) => {
      hops++;
      const step = Number(new URL(request.url).searchParams.get("step") ?? 0);
      return redirect(`https://${PUBLIC(4)}/users/loop?step=${step + 1}`)();
    });
    const big = (n: number) =>
      JSON.stringify({ ...person(`https://${PUBLIC(n)}`, "big"), pad: "x".repeat(2 ** 21) });
    // No Content-Length: the cap holds while the body streams.
    net.addHost(PUBLIC(5), async () => {
      const bytes = new TextEncoder().encode(big(5));
      const body = new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 65_536)
            controller.enqueue(bytes.subarray(i, i + 65_536));
          controller.close();
        },
      });
      return new Response(body, { headers: { "content-type": "application/activity+json" } });
    });
    net.addHost(PUBLIC(6), async () => Response.json(JSON.parse(big(6))));
    net.addHost(PUBLIC(7), () => new Promise<Response>(() => {})); // never answers
    net.addHost(PUBLIC(8), async () => {
      // Answers at once, then stalls in the middle of the body.
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"id": "'));
        },
      });
      return new Response(body, { headers: { "content-type": "application/activity+json" } });
    });
    net.addHost(PUBLIC(9), redirect("http://[::1]/users/admin"));
    net.addHost("[::1]", async (request) => {
      privateHits.push(request.url);
      return Response.json(person("http://[::1]", "admin"));
    });

    const refused = [
      `https://${PUBLIC(2)}/users/alice`,
      `https://${PUBLIC(3)}/users/alice`,
      `https://${PUBLIC(4)}/users/loop`,
      `https://${PUBLIC(5)}/users/big`,
      `https://${PUBLIC(6)}/users/big`,
      `https://${PUBLIC(7)}/users/slow`,
      `https://${PUBLIC(8)}/users/stalled`,
      `https://${PUBLIC(9)}/users/alice`,
      "http://10.0.0.7/users/alice",
    ];
    for (const url of refused) {
      const started = Date.now();
      const response = await lookUp(url);
      expect([url, ...refusal(response)]).toEqual([url, 404, "NOT_FOUND", "Agent not found"]);
      expect(Date.now() - started, url).toBeLessThan(3000);
    }
    // The instance's signed fetch (claim posts) is held to the same rules.
    const registered = await api.post("/agents/register", { name: "reef" });
    const token = new URL(registered.body.agent.claim_url).pathname.split("/").at(-1);
    for (const url of [`https://${PUBLIC(2)}/statuses/1`, `https://${PUBLIC(5)}/statuses/1`]) {
      const claim = await api.post("/agents/claim", { claim_token: token, url });
      expect([url, claim.status, claim.body.reason]).toEqual([url, 400, "post_not_found"]);
    }
    expect(privateHits).toEqual([]);
    expect(hops).toBe(6); // the first request and five redirects, then no more
    expect(await remoteAgents()).toEqual([{ ap_id: honest.actorId }]);
  });
});
