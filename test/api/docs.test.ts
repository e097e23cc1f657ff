import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apiClient, registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";

describe.each(DIALECTS)("%s: agent-facing documents", (dialect) => {
  it("serves skill.md naming this instance and every endpoint an agent needs", async () => {
    await using instance = await startInstance({ dialect, origin: "https://molt.example" });
    const response = await instance.request("/skill.md");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const text = await response.text();
    expect(text).toContain("**Base URL:** `https://molt.example/api/v1`");
    expect(text).toContain("only** to `molt.example`");
    expect(text).not.toMatch(/moltbook\.com/);
    for (const path of [
      "/agents/register",
      "/agents/me",
      "/agents/status",
      "/agents/profile",
      "/agents/me/rotate-key",
      "/agents/me/avatar",
      "/submolts/NAME/avatar",
      "/submolts/NAME/banner",
      "type=avatar",
      "/submolts",
      "/subscribe",
      "/settings",
      "/moderators",
      "/posts",
      "/comments",
      "/upvote",
      "/downvote",
      "/feed",
      "/search",
      "/follow",
      "/pin",
      "/home",
      "/notifications?unread=true",
      "/notifications/read-by-post/",
      "/notifications/read-all",
      "/heartbeat.md",
      "/rules.md",
      "/messaging.md",
      "/agents/dm/check",
      "/agents/dm/request",
      "/agents/dm/requests/CONVERSATION_ID/approve",
      "/agents/dm/conversations/CONVERSATION_ID/send",
    ]) {
      expect(text, path).toContain(path);
    }
    for (const doc of ["/heartbeat.md", "/messaging.md", "/rules.md"]) {
      const other = await instance.request(doc);
      expect(other.headers.get("content-type"), doc).toBe("text/markdown; charset=utf-8");
      expect(await other.text(), doc).toContain("molt.example");
    }
    const heartbeat = await (await instance.request("/heartbeat.md")).text();
    expect(heartbeat).toContain("GET https://molt.example/api/v1/home");
    expect(heartbeat).toContain("GET https://molt.example/api/v1/notifications?unread=true");
    expect(heartbeat).toContain("GET https://molt.example/api/v1/agents/dm/check");
    // messaging.md teaches every direct-message route, with this instance's base URL.
    const messaging = await (await instance.request("/messaging.md")).text();
    for (const route of [
      "curl https://molt.example/api/v1/agents/dm/check",
      "-X POST https://molt.example/api/v1/agents/dm/request ",
      "curl https://molt.example/api/v1/agents/dm/requests ",
      "/agents/dm/requests/CONVERSATION_ID/approve",
      "/agents/dm/requests/CONVERSATION_ID/reject",
      "curl https://molt.example/api/v1/agents/dm/conversations ",
      "curl https://molt.example/api/v1/agents/dm/conversations/CONVERSATION_ID ",
      "/agents/dm/conversations/CONVERSATION_ID/send",
      "-X POST https://molt.example/api/v1/agents/dm/block",
      "-X DELETE https://molt.example/api/v1/agents/dm/block",
      "/agents/dm/blocked",
      "to_owner",
      "needs_human_input",
    ]) {
      expect(messaging, route).toContain(route);
    }
    expect(messaging).not.toContain("not available");
  });

  it("teaches signed requests with the very helper the tests sign with", async () => {
    await using instance = await startInstance({ dialect, origin: "https://molt.example" });
    const text = await (await instance.request("/skill.md")).text();
    const helper = readFileSync(new URL("../../src/lib/agent-signing.ts", import.meta.url), "utf8");
    expect(text).toContain(`\`\`\`ts\n${helper}\`\`\``);
    for (const fragment of [
      '"public_key"',
      "https://molt.example/api/v1/agents/me/keys",
      'Signature-Input: sig1=("@method" "@target-uri" "content-digest")',
      "within 300 seconds",
      // Signed posts and comments, with the same helper.
      "signAgentContent({ submolt, ...post }, key)",
      '"signed_by_agent": true',
      "proof_key_revoked",
    ]) {
      expect(text, fragment).toContain(fragment);
    }
  });

  it("serves skill.json pointing at this instance", async () => {
    await using instance = await startInstance({ dialect, origin: "https://molt.example" });
    const json = (await (await instance.request("/skill.json")).json()) as {
      metadata: { api_base: string };
      files: Record<string, string>;
    };
    expect(json.metadata.api_base).toBe("https://molt.example/api/v1");
    expect(Object.values(json.files).every((url) => url.startsWith("https://molt.example/"))).toBe(
      true,
    );
  });

  it("describes itself, with live counts and limits", async () => {
    await using instance = await startInstance({ dialect });
    const before = (await apiClient(instance).get("/instance")).body.instance;
    expect(before).toMatchObject({
      software: "moltiverse",
      api_base: "https://alpha.test/api/v1",
      counts: { agents: 0, submolts: 1 },
    });
    expect(before.limits).toMatchObject({ readsPerMinute: 60, postCooldownMinutes: 30 });
    await registerAgent(instance, "reef");
    expect((await apiClient(instance).get("/instance")).body.instance.counts.agents).toBe(1);
  });

  it("publishes an OpenAPI 3.1 document built from the request schemas", async () => {
    await using instance = await startInstance({ dialect });
    const doc = (await apiClient(instance).get("/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "https://alpha.test/api/v1" }]);
    // Every endpoint of the spec's tables (/home, /notifications and avatars aside).
    for (const [path, method] of [
      ["/agents/register", "post"],
      ["/agents/me", "get"],
      ["/agents/me", "patch"],
      ["/agents/status", "get"],
      ["/agents/profile", "get"],
      ["/agents/{name}/follow", "post"],
      ["/agents/{name}/follow", "delete"],
      ["/agents/me/rotate-key", "post"],
      ["/posts", "get"],
      ["/posts", "post"],
      ["/posts/{id}", "get"],
      ["/posts/{id}", "delete"],
      ["/posts/{id}/upvote", "post"],
      ["/posts/{id}/downvote", "post"],
      ["/posts/{id}/pin", "post"],
      ["/posts/{id}/pin", "delete"],
      ["/posts/{id}/comments", "get"],
      ["/posts/{id}/comments", "post"],
      ["/comments/{id}", "get"],
      ["/comments/{id}", "delete"],
      ["/comments/{id}/upvote", "post"],
      ["/comments/{id}/downvote", "post"],
      ["/submolts", "get"],
      ["/submolts", "post"],
      ["/submolts/{name}", "get"],
      ["/submolts/{name}/feed", "get"],
      ["/submolts/{name}/subscribe", "post"],
      ["/submolts/{name}/subscribe", "delete"],
      ["/submolts/{name}/settings", "patch"],
      ["/submolts/{name}/moderators", "get"],
      ["/submolts/{name}/moderators", "post"],
      ["/submolts/{name}/moderators", "delete"],
      ["/feed", "get"],
      ["/search", "get"],
      ["/agents/dm/check", "get"],
      ["/agents/dm/request", "post"],
      ["/agents/dm/requests", "get"],
      ["/agents/dm/requests/{conversationId}/approve", "post"],
      ["/agents/dm/requests/{conversationId}/reject", "post"],
      ["/agents/dm/conversations", "get"],
      ["/agents/dm/conversations/{conversationId}", "get"],
      ["/agents/dm/conversations/{conversationId}/send", "post"],
      ["/agents/dm/block", "post"],
      ["/agents/dm/block", "delete"],
      ["/agents/dm/blocked", "get"],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    const dmRequest = doc.paths["/agents/dm/request"].post.requestBody.content["application/json"];
    expect(dmRequest.schema.required).toEqual(["message"]);
    expect(dmRequest.schema.properties.message).toMatchObject({ minLength: 10, maxLength: 1000 });
    const register = doc.paths["/agents/register"].post;
    expect(register.requestBody.content["application/json"].schema.required).toEqual(["name"]);
    expect(register.responses["201"]).toBeDefined();
    const createPost = doc.paths["/posts"].post.requestBody.content["application/json"].schema;
    expect(createPost.required).toEqual(["title"]);
    expect(createPost.properties.title.maxLength).toBe(300);
    const listParams = doc.paths["/posts"].get.parameters.map((p: { name: string }) => p.name);
    expect(listParams).toEqual(
      expect.arrayContaining(["sort", "t", "limit", "offset", "cursor", "submolt"]),
    );
    const search = doc.paths["/search"].get.parameters.find(
      (p: { name: string }) => p.name === "q",
    );
    expect(search).toMatchObject({ in: "query", required: true });
    expect(doc.paths["/posts/{id}"].delete.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string" } },
    ]);
    expect(doc.paths["/feed"].get.responses["401"].content["application/json"].schema.$ref).toBe(
      "#/components/schemas/Error",
    );
  });
});
