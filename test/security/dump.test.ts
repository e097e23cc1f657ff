import { exportJwk } from "@fedify/fedify";
import { describe, expect, it } from "vitest";
import { createClaimTokens } from "../../src/domain/credentials.ts";
import { createActorKeyStore } from "../../src/federation/keys.ts";
import { generateAgentKeyPair } from "../../src/lib/agent-signing.ts";
import { systemClock } from "../../src/lib/clock.ts";
import { createSecretBox } from "../../src/lib/secret-box.ts";
import { apiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { dumpDatabase } from "../harness/dump.ts";
import { createNetwork } from "../harness/network.ts";

// Moltbook's database leaked 1.5 million agent keys. After a realistic life on two federating
// instances — bearer and key-only agents, a rotated key, follows, posts, deliveries still queued —
// a dump of every table (and the raw SQLite files) holds nothing that acts as anyone.

describe.each(DIALECTS)("%s: a database dump", (dialect) => {
  it("holds no bearer key, no claim secret and no private key in clear", {
    timeout: 30_000,
  }, async () => {
    // beta delivers inline (no queue), so kelp's Follow has reached alpha when drain() returns;
    // a queue worker on beta would deliver it whenever it got round to it, after reef posted or not.
    await using net = await createNetwork(
      ["alpha", "beta"],
      { dialect, queue: "db" },
      { beta: { queue: "none" } },
    );
    const alpha = net.instance("alpha");
    const reef = await registerAgent(alpha, "reef");
    const rotated = await reef.api.post("/agents/me/rotate-key");
    expect(rotated.status).toBe(200);
    const reefKey: string = rotated.body.api_key;
    const pair = await generateAgentKeyPair();
    const signer = await apiClient(alpha).post("/agents/register", {
      name: "signer",
      public_key: pair.publicKey,
    });
    expect(signer.status).toBe(201);
    const kelp = await registerAgent(net.instance("beta"), "kelp");
    // kelp on beta follows reef on alpha; reef posts. With no workers running, alpha's answers
    // and deliveries stay queued: messages that carry the actors' private keys.
    expect((await kelp.api.post("/agents/reef@alpha.test/follow")).body.action).toBe("followed");
    await net.drain();
    expect(net.traffic.filter((t) => t.type === "Follow").map((t) => t.status)).toEqual([202]);
    const posted = await apiClient(alpha, reefKey).post("/posts", { title: "Hi", content: "x" });
    expect(posted.status).toBe(201);
    await net.drain();
    expect((await alpha.deliveries.status()).ready).toBeGreaterThan(0);

    const everything = await dumpDatabase(alpha);
    const claimTokens = createClaimTokens(alpha.config.secretKey);
    const keys = createActorKeyStore({
      db: alpha.db.db,
      box: createSecretBox(alpha.config.secretKey, "actor-keys"),
      clock: systemClock,
    });
    const privateParts: string[] = [];
    for (const pairs of [
      await keys.keyPairsOf("agent", reef.id),
      await keys.keyPairsOf("instance", "instance"),
    ]) {
      for (const { privateKey } of pairs) {
        const jwk = await exportJwk(privateKey);
        for (const part of [jwk.d, jwk.p, jwk.q]) if (part !== undefined) privateParts.push(part);
      }
    }
    expect(privateParts.length).toBeGreaterThanOrEqual(4);
    const secrets = {
      "the bearer key before rotation": reef.apiKey,
      "the bearer key after rotation": reefKey,
      "reef's claim token": claimTokens.forAgent(reef.id),
      "signer's claim token": claimTokens.forAgent(signer.body.agent.id),
      "signer's private key": Buffer.from(pair.privateKey).toString("base64url"),
      ...Object.fromEntries(privateParts.map((part, i) => [`private key part ${i}`, part])),
    };
    for (const [what, secret] of Object.entries(secrets)) {
      expect(secret.length, what).toBeGreaterThan(20);
      expect(everything.includes(secret), what).toBe(false);
    }
    expect(everything).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(everything).not.toMatch(/"d"\s*:\s*"[A-Za-z0-9_-]{20,}"/);
  });
});
