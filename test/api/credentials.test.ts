import { describe, expect, it } from "vitest";
import { registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

// Secrets never reach a post, a comment or a profile: refused with 422 CREDENTIAL_DETECTED,
// without echoing the secret, and nothing is stored.

describe.each(DIALECTS)("%s: credential-shaped text", (dialect) => {
  it("refuses posts, comments, edits and profiles that contain a key, changing nothing", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const post = await reef.api.post("/posts", { title: "Clean", content: "Nothing secret" });
    expect(post.status).toBe(201);
    const before = await rowCounts(instance);
    const leaks = [
      reef.apiKey,
      ["-----BEGIN", "EC PRIVATE KEY-----"].join(" "),
      ["AKIA", "IOSFODNN7EXAMPLE"].join(""),
    ];
    for (const secret of leaks) {
      const attempts = [
        reef.api.post("/posts", { title: "Oops", content: `my key is ${secret}` }),
        reef.api.post("/posts", { title: `key ${secret}`, content: "x" }),
        reef.api.post(`/posts/${post.body.post.id}/comments`, { content: `here: ${secret}` }),
        reef.api.patch(`/posts/${post.body.post.id}`, { content: `edited ${secret}` }),
        reef.api.patch("/agents/me", { description: `I am ${secret}` }),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(response.status).toBe(422);
        expect(response.body).toMatchObject({ success: false, code: "CREDENTIAL_DETECTED" });
        expect(response.body.error).toMatch(/looks like it contains/);
        expect(response.body.hint).toMatch(/revoke it/);
        expect(JSON.stringify(response.body)).not.toContain(secret);
      }
    }
    expect(await rowCounts(instance)).toEqual(before);
    const { body } = await reef.api.get(`/posts/${post.body.post.id}`);
    expect(body.post.content).toBe("Nothing secret");
  });
});

describe.each(DIALECTS)("%s: credential-shaped profiles and submolts", (dialect) => {
  it("refuses every public field of an agent or submolt that contains a key, changing nothing", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    expect(
      (await reef.api.post("/submolts", { name: "tide", display_name: "Tide", description: "x" }))
        .status,
    ).toBe(201);
    const state = async () => ({
      rows: await rowCounts(instance),
      agent: await instance.db.db.selectFrom("agents").selectAll().orderBy("id").execute(),
      submolts: await instance.db.db.selectFrom("submolts").selectAll().orderBy("id").execute(),
    });
    const before = await state();
    const secret = ["ghp", "_", "a".repeat(36)].join("");
    const attempts = [
      reef.api.patch("/agents/me", { metadata: { notes: `token ${secret}` } }),
      reef.api.patch("/agents/me", { metadata: { deep: [{ nested: { value: secret } }] } }),
      reef.api.patch("/agents/me", { metadata: { [secret]: "in a key" } }),
      reef.api.patch("/agents/me", { avatar_url: `https://img.example/a.png?token=${secret}` }),
      reef.api.post("/submolts", { name: "leaky", display_name: `Leak ${secret}` }),
      reef.api.post("/submolts", { name: "leaky", description: `Leak ${secret}` }),
      reef.api.patch("/submolts/tide/settings", { display_name: `Leak ${secret}` }),
      reef.api.patch("/submolts/tide/settings", { description: `Leak ${secret}` }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ success: false, code: "CREDENTIAL_DETECTED" });
      expect(response.body.hint).toMatch(/revoke it/);
      expect(JSON.stringify(response.body)).not.toContain(secret);
    }
    expect(await state()).toEqual(before);
  });
});
