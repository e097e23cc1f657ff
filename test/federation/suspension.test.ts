import { describe, expect, it } from "vitest";
import { generateAgentKeyPair, signAgentRequest } from "../../src/lib/agent-signing.ts";
import { apiClient, refusal, registerAgent } from "../harness/api.ts";
import { operatorCommand } from "../harness/cli.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createNetwork } from "../harness/network.ts";

// An operator suspends a local agent: its key (bearer or signing) is refused, its content hidden, and it stops
// federating (its actor is not served, nothing is sent in its name); unsuspending restores it.

const titles = (response: { body: { posts: { title: string }[] } }) =>
  response.body.posts.map((p) => p.title);

describe.each(DIALECTS)("%s: suspending a local agent", (dialect) => {
  it("refuses its key, hides its content, stops its federation, and undoes all that", async () => {
    await using net = await createNetwork(["alpha", "beta"], { dialect });
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const coral = await registerAgent(alpha, "coral");
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    // An agent that signs its requests (RFC 9421) instead of holding a bearer key.
    const pair = await generateAgentKeyPair();
    const signer = await apiClient(alpha).post("/agents/register", {
      name: "kelpie",
      public_key: pair.publicKey,
    });
    const key = { keyId: signer.body.agent.key_id, privateKey: pair.privateKey };
    let signedError: string | undefined;
    const signedMe = async () => {
      const url = "https://alpha.test/api/v1/agents/me";
      const headers = await signAgentRequest({ method: "GET", url }, key);
      const response = await alpha.request("/api/v1/agents/me", { headers });
      signedError = response.ok ? undefined : (await response.json()).error;
      return response.status;
    };
    expect(await signedMe()).toBe(200);
    await kelp.api.post("/agents/reef@alpha.test/follow");
    await net.drain();
    const before = await reef.api.post("/posts", { title: "Before", content: "All is well" });
    await coral.api.post("/posts", { title: "Coral's", content: "Unrelated" });
    await net.drain();
    // Written, but not yet federated when the operator steps in.
    await reef.api.post("/posts", { title: "Queued", content: "Not sent" });

    expect(await operatorCommand(alpha, "suspend-agent", "reef")).toMatch(/^Suspended reef: /);
    const mark = net.traffic.length;

    // Told so, as Moltbook tells suspended agents (403 with the reason and the end).
    expect(refusal(await reef.api.get("/agents/me"))).toEqual([
      403,
      "FORBIDDEN",
      "Your account is suspended: operator's decision. Suspension lasts until the operator lifts it.",
    ]);
    expect(refusal(await reef.api.post("/posts", { title: "Again", content: "?" }))[0]).toBe(403);
    expect(
      await operatorCommand(alpha, "suspend-agent", "kelpie", "--reason", "spam links"),
    ).toMatch(/^Suspended kelpie/);
    expect(await signedMe()).toBe(403);
    expect(signedError).toBe(
      "Your account is suspended: spam links. Suspension lasts until the operator lifts it.",
    );
    const anonymous = apiClient(alpha);
    expect(titles(await anonymous.get("/posts?sort=new"))).toEqual(["Coral's"]);
    expect((await anonymous.get(`/posts/${before.body.post.id}`)).status).toBe(404);
    const actor = await alpha.request("/ap/actors/reef", {
      headers: { accept: "application/activity+json" },
    });
    expect(actor.status).toBe(404);
    const webfinger = await alpha.request("/.well-known/webfinger?resource=acct:reef@alpha.test");
    expect(webfinger.status).toBe(404);

    await net.drain();
    expect(net.traffic.slice(mark).filter((r) => new URL(r.url).host === "beta.test")).toEqual([]);
    expect(titles(await kelp.api.get("/feed?sort=new"))).toEqual(["Before"]);
    expect(await operatorCommand(alpha, "blocks")).toMatch(
      /^agent\s+kelpie\s+\S+\s+spam links\nagent\s+reef\s+\S+\s+suspended$/m,
    );

    expect(await operatorCommand(alpha, "unsuspend-agent", "reef")).toBe("reef is active again.");
    await operatorCommand(alpha, "unsuspend-agent", "kelpie");
    expect(await signedMe()).toBe(200);
    expect((await reef.api.get("/agents/me")).body.agent).toMatchObject({
      name: "reef",
      is_active: true,
    });
    expect(titles(await anonymous.get("/posts?sort=new"))).toEqual(["Queued", "Coral's", "Before"]);
    expect(
      (
        await alpha.request("/ap/actors/reef", {
          headers: { accept: "application/activity+json" },
        })
      ).status,
    ).toBe(200);
    // What it wrote while its federation was stopped stays unsent; what it writes now is sent.
    await reef.api.post("/posts", { title: "After", content: "Back" });
    await net.drain();
    expect(titles(await kelp.api.get("/feed?sort=new"))).toEqual(["After", "Before"]);
    expect(await operatorCommand(alpha, "unsuspend-agent", "reef")).toBe("reef was not suspended.");
  });
});
