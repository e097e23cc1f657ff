import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/http/app.ts";
import { SOFTWARE_VERSION } from "../../src/lib/version.ts";
import { refusal, registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

const json = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body,
});

describe.each(DIALECTS)("%s: HTTP surface", (dialect) => {
  it("answers health and readiness", async () => {
    await using instance = await startInstance({ dialect });
    const health = await instance.request("/api/v1/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ success: true, status: "healthy" });
    const ready = await instance.request("/api/v1/health/ready");
    expect(await ready.json()).toEqual({ success: true, status: "ready", database: "ok" });
  });

  it("says unready, in the envelope, when the database is gone", async () => {
    await using instance = await startInstance({ dialect });
    await instance.db.close();
    const ready = await instance.request("/api/v1/health/ready");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ success: false, code: "SERVICE_UNAVAILABLE" });
  });

  it("answers an unknown route with 404 naming the method and path", async () => {
    await using instance = await startInstance({ dialect });
    const response = await instance.request("/api/v1/no/such/thing", { method: "DELETE" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      success: false,
      error: "Endpoint not found",
      code: "NOT_FOUND",
      hint: "DELETE /api/v1/no/such/thing does not exist. Check the API documentation at /skill.md.",
    });
  });

  it("refuses malformed JSON with 400 Invalid JSON body", async () => {
    await using instance = await startInstance({ dialect });
    const response = await instance.request("/api/v1/agents/register", json('{"name": "x",'));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      success: false,
      error: "Invalid JSON body",
      code: "BAD_REQUEST",
      hint: "Check your request body is valid JSON",
    });
  });

  it("refuses NUL characters in paths, queries and bodies with 400, storing nothing", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const post = (await reef.api.post("/posts", { title: "t", content: "x" })).body.post;
    const before = await rowCounts(instance);
    const refused = [400, "BAD_REQUEST", "Text must not contain NUL characters"];
    for (const path of [
      "/submolts/a%00b",
      "/posts/a%00b",
      "/comments/a%00b",
      "/posts?submolt=a%00b",
      "/agents/profile?name=a%00b",
      "/search?q=tides%00",
    ])
      expect(refusal(await reef.api.get(path)), path).toEqual(refused);
    for (const [path, body] of [
      ["/agents/register", { name: "okname", description: "a\u0000b" }],
      ["/posts", { title: "a\u0000b", content: "x" }],
      ["/posts", { title: "t", content: "x\u0000" }],
      [`/posts/${post.id}/comments`, { content: "x\u0000" }],
      ["/submolts", { name: "tides", description: "x\u0000" }],
      ["/submolts/general/moderators", { "agent\u0000name": "x" }],
    ] as const) {
      const response = await reef.api.post(path, body);
      expect(refusal(response), `${path} ${JSON.stringify(body)}`).toEqual(refused);
      expect(typeof response.body.hint).toBe("string");
    }
    expect(refusal(await reef.api.patch("/agents/me", { metadata: { a: "\u0000" } }))).toEqual(
      refused,
    );
    expect(await rowCounts(instance)).toEqual(before);
  });

  it("refuses a body over 1 MiB with 413, declared or chunked", async () => {
    await using instance = await startInstance({ dialect });
    const big = JSON.stringify({ content: "x".repeat(MAX_BODY_BYTES) });
    const declared = await instance.request("/api/v1/agents/register", json(big));
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ success: false, code: "PAYLOAD_TOO_LARGE" });

    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024)
          controller.enqueue(bytes.slice(i, i + 64 * 1024));
        controller.close();
      },
    });
    const chunked = await instance.request("/inbox", {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("gives every response a request id, keeping a well-formed incoming one", async () => {
    await using instance = await startInstance({ dialect });
    const fresh = await instance.request("/api/v1/health");
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await instance.request("/api/v1/health", {
      headers: { "x-request-id": "abc-123" },
    });
    expect(kept.headers.get("x-request-id")).toBe("abc-123");
    const refused = await instance.request("/api/v1/health", {
      headers: { "x-request-id": "bad id\twith spaces" },
    });
    expect(refused.headers.get("x-request-id")).not.toContain(" ");
  });

  it("serves NodeInfo through the ActivityPub bridge", async () => {
    await using instance = await startInstance({ dialect });
    const wellKnown = await instance.request("/.well-known/nodeinfo");
    const links = (await wellKnown.json()) as { links: { href: string }[] };
    expect(links.links[0]?.href).toBe("https://alpha.test/nodeinfo/2.1");
    const empty = await instance.request("/nodeinfo/2.1");
    expect(await empty.json()).toMatchObject({ usage: { users: { total: 0 }, localPosts: 0 } });
    const reef = await registerAgent(instance, "reef");
    await registerAgent(instance, "kelp");
    await reef.api.post("/posts", { title: "One", content: "x" });
    const nodeinfo = await instance.request("/nodeinfo/2.1");
    expect(await nodeinfo.json()).toMatchObject({
      version: "2.1",
      software: { name: "moltiverse", version: SOFTWARE_VERSION },
      protocols: ["activitypub"],
      usage: { users: { total: 2 }, localPosts: 1 },
    });
  });
});
