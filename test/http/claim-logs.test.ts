import { describe, expect, it } from "vitest";
import { apiClient } from "../harness/api.ts";
import { startInstance } from "../harness/instance.ts";
import { logRecords } from "../harness/logs.ts";

// The claim URL carries the claim token: requests to it are logged without it.

describe("claim tokens in logs", () => {
  it("never logs the token of a claim URL", async () => {
    await using alpha = await startInstance({ dialect: "sqlite" });
    const registered = await apiClient(alpha).post("/agents/register", { name: "reef" });
    const claimUrl = new URL(registered.body.agent.claim_url);
    const token = claimUrl.pathname.split("/").at(-1) ?? "";
    expect(token).toMatch(/^moltbook_claim_/);
    expect((await alpha.request(claimUrl.pathname)).status).toBe(200);
    const form = await alpha.request(claimUrl.pathname, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "url=nonsense",
    });
    expect(form.status).toBe(400);
    await apiClient(alpha).post("/agents/claim", { claim_token: token, url: "not a url" });
    const logged = logRecords().map((r) => JSON.stringify([r.message, r.properties]));
    expect(logged.some((line) => line.includes("/claim/…"))).toBe(true);
    expect(logged.filter((line) => line.includes(token))).toEqual([]);
  });
});
