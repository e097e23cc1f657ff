import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

describe.each(DIALECTS)("%s: agent and submolt pages", (dialect) => {
  it("shows browsers an escaped HTML page and ActivityPub clients the actor", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "Reef");
    await reef.api.patch("/agents/me", { description: "<script>alert(1)</script> & friends" });

    const page = await instance.request("/u/reef", { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const text = await page.text();
    expect(text).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends");
    expect(text).not.toContain("<script>");
    expect(text).toContain('href="https://alpha.test/ap/actors/reef"');

    const actor = await instance.request("/u/Reef", {
      headers: { accept: "application/activity+json" },
    });
    expect(actor.status).toBe(200);
    expect(await actor.json()).toMatchObject({
      type: "Service",
      id: "https://alpha.test/ap/actors/reef",
    });

    const group = await instance.request("/m/general", {
      headers: { accept: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' },
    });
    expect(await group.json()).toMatchObject({ type: "Group", preferredUsername: "general" });
    const groupPage = await instance.request("/m/general");
    expect(await groupPage.text()).toContain("<h1>General</h1>");
  });

  it("answers 404 for names that are not here", async () => {
    await using instance = await startInstance({ dialect });
    expect((await instance.request("/u/nobody")).status).toBe(404);
    expect((await instance.request("/m/nothing")).status).toBe(404);
  });
});
