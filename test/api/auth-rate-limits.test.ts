import { describe, expect, it } from "vitest";
import { generateAgentKeyPair, signAgentRequest } from "../../src/lib/agent-signing.ts";
import { type ApiResponse, apiClient, domainRowCounts, registerAgent } from "../harness/api.ts";
import { createFixedClock } from "../harness/clock.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture, mastodonStatus } from "../harness/fake-remote.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";
import { createNetwork } from "../harness/network.ts";

// Guessing credentials and claiming are limited per client address: refused bearer keys and
// signatures turn into 429 past their quota (valid credentials still pass), and each claim
// attempt, which makes the instance fetch a URL the caller picks, is counted per address and per
// claim token.

const MINUTE = 60_000;
const START = "2026-06-01T00:00:10.000Z";
const ALICE = "https://mastodon.test/users/alice";

/** A request from the client at `address` (the socket's peer, as @hono/node-server reports it). */
async function from(
  instance: TestInstance,
  address: string,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const request = new Request(new URL(path, instance.config.origin), init);
  return instance.fetch(request, { incoming: { socket: { remoteAddress: address } } });
}

async function json(response: Response): Promise<ApiResponse> {
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe.each(DIALECTS)("%s: limits on failed authentication and on claims", (dialect) => {
  it("turns refused bearer keys and signatures from one address into 429, never valid credentials", async () => {
    const clock = createFixedClock(START);
    await using instance = await startInstance({
      dialect,
      limits: { enabled: true, authFailuresPerMinute: 3, readsPerMinute: 100 },
      overrides: { clock },
    });
    const reef = await registerAgent(instance, "reef");
    const intruder = await generateAgentKeyPair();
    const badBearer = (address: string) =>
      from(instance, address, "/api/v1/agents/me", {
        headers: { authorization: "Bearer moltbook_sk_guessedguessedguessedguessed0000" },
      });
    const badSignature = async (address: string) =>
      from(instance, address, "/api/v1/agents/me", {
        headers: await signAgentRequest(
          { method: "GET", url: "https://alpha.test/api/v1/agents/me" },
          {
            keyId: "https://alpha.test/ap/actors/reef#agent-key-guessed",
            privateKey: intruder.privateKey,
          },
          clock.now(),
        ),
      });
    const valid = (address: string) =>
      from(instance, address, "/api/v1/agents/me", {
        headers: { authorization: `Bearer ${reef.apiKey}` },
      });
    const before = await domainRowCounts(instance);

    const statuses = [];
    for (const attempt of [badBearer, badSignature, badBearer]) {
      statuses.push((await attempt("203.0.113.7")).status);
    }
    expect(statuses).toEqual([401, 401, 401]);
    for (const attempt of [badBearer, badSignature]) {
      const limited = await json(await attempt("203.0.113.7"));
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("50");
      expect(limited.body).toMatchObject({
        success: false,
        code: "RATE_LIMITED",
        error: "Too many failed authentications: 3 per minute",
        retry_after_seconds: 50,
      });
      expect(typeof limited.body.hint).toBe("string");
    }
    // The agent with its valid key, from the same address, is not held back; others not at all.
    expect((await valid("203.0.113.7")).status).toBe(200);
    expect((await badBearer("198.51.100.2")).status).toBe(401);
    clock.advance(MINUTE);
    expect((await badBearer("203.0.113.7")).status).toBe(401);
    expect(await domainRowCounts(instance)).toMatchObject({
      ...before,
      rate_limit_counters: expect.any(Number),
    });
  });

  it("with RATE_LIMITS=off, refused credentials stay 401 however many", async () => {
    await using instance = await startInstance({ dialect });
    const statuses = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const response = await apiClient(
        instance,
        "moltbook_sk_guessedguessedguessedguessed0000",
      ).get("/agents/me");
      statuses.add(response.status);
    }
    expect([...statuses]).toEqual([401]);
  });

  it("counts claim attempts per address and per claim token, refusing before any fetch", {
    timeout: 20_000,
  }, async () => {
    const clock = createFixedClock(START);
    await using net = await createNetwork(["alpha"], {
      dialect,
      limits: { enabled: true, claimAttemptsPerHour: 2, writesPerMinute: 100 },
      overrides: { clock },
    });
    const alpha = net.instance("alpha");
    const alice = await createFakeRemote({
      ...fixture("mastodon/objects/person.json"),
      id: ALICE,
      inbox: `${ALICE}/inbox`,
    });
    net.addHost(alice.host, alice.fetch);
    alice.publish(mastodonStatus(ALICE, 1, "<p>No code here</p>"));
    const tokenOf = async (name: string) => {
      const registered = await apiClient(alpha).post("/agents/register", { name });
      return new URL(registered.body.agent.claim_url).pathname.split("/").at(-1) ?? "";
    };
    const reef = await tokenOf("reef");
    const kelp = await tokenOf("kelp");
    const claim = async (address: string, token: string) =>
      json(
        await from(alpha, address, "/api/v1/agents/claim", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ claim_token: token, url: `${ALICE}/statuses/1` }),
        }),
      );
    const fetches = () => net.traffic.filter((r) => r.url.startsWith(`${ALICE}/statuses`)).length;

    expect((await claim("203.0.113.7", reef)).body.reason).toBe("code_missing");
    expect((await claim("203.0.113.7", reef)).body.reason).toBe("code_missing");
    const fetched = fetches();
    const limited = await claim("203.0.113.7", reef);
    expect([limited.status, limited.body.code, limited.body.error]).toEqual([
      429,
      "RATE_LIMITED",
      "Too many claim attempts: 2 per hour",
    ]);
    expect(limited.headers.get("retry-after")).toBe("3590");
    expect(typeof limited.body.hint).toBe("string");
    // The address is spent, for any token; the token is spent, from any address.
    expect((await claim("203.0.113.7", kelp)).status).toBe(429);
    expect((await claim("198.51.100.2", reef)).status).toBe(429);
    // The claim page's form counts the same way.
    const form = await from(alpha, "192.0.2.9", `/claim/${reef}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ url: `${ALICE}/statuses/1` }).toString(),
    });
    expect(form.status).toBe(429);
    expect(form.headers.get("retry-after")).toBe("3590");
    expect(await form.text()).toContain("Too many claim attempts");
    expect(fetches()).toBe(fetched);
    // Another address with another token still gets through; the next hour, everyone again.
    expect((await claim("198.51.100.2", kelp)).body.reason).toBe("code_missing");
    clock.advance(60 * MINUTE);
    expect((await claim("203.0.113.7", reef)).body.reason).toBe("code_missing");
  });
});
