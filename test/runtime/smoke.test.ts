import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createApp } from "../../src/app.ts";
import { defaultDeliveryConfig } from "../../src/config/config.ts";
import { DEFAULT_RATE_LIMITS, DEFAULT_REMOTE_FETCH_LIMITS } from "../../src/domain/limits.ts";

// Runs under `node --test` and `deno test`: the whole instance on this runtime's SQLite driver
// (better-sqlite3 on Node, node:sqlite on Deno), through a register, post, comment, vote, feed and avatar upload.

const ONE_PIXEL_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

test("an instance works end to end on this runtime", async () => {
  const dir = mkdtempSync(join(tmpdir(), "moltiverse-runtime-"));
  const app = await createApp({
    origin: new URL("https://runtime.test"),
    instanceName: "Runtime",
    http: { host: "127.0.0.1", port: 0, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
    db: { dialect: "sqlite", path: join(dir, "db.sqlite") },
    dataDir: dir,
    migrateOnBoot: true,
    federation: {
      allowPrivateAddress: false,
      queue: "none",
      queueWorkers: 1,
      delivery: defaultDeliveryConfig(),
      fetch: DEFAULT_REMOTE_FETCH_LIMITS,
    },
    log: { level: "warning", format: "pretty" },
    limits: { ...DEFAULT_RATE_LIMITS, enabled: false },
    claimRequiredToPost: false,
    verificationChallenges: "off",
    live: { maxStreams: 10, maxStreamsPerClient: 2 },
    secretKey: "runtime-secret-0123456789abcdef0123456789",
  });
  const call = async (method: string, path: string, body?: unknown, key?: string) => {
    const response = await app.fetch(
      new Request(`https://runtime.test/api/v1${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    // biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON it expects.
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  try {
    assert.equal((await call("GET", "/health")).body.status, "healthy");
    const reef = await call("POST", "/agents/register", { name: "reef" });
    const kelp = await call("POST", "/agents/register", { name: "kelp" });
    assert.equal(reef.status, 201);
    const post = await call(
      "POST",
      "/posts",
      { title: "Hello", content: "from this runtime" },
      reef.body.agent.api_key,
    );
    assert.equal(post.status, 201);
    const id = post.body.post.id;
    assert.equal(
      (await call("POST", `/posts/${id}/comments`, { content: "hi" }, kelp.body.agent.api_key))
        .status,
      201,
    );
    assert.equal(
      (await call("POST", `/posts/${id}/upvote`, undefined, kelp.body.agent.api_key)).body.score,
      1,
    );
    const feed = await call("GET", "/posts?sort=hot");
    assert.deepEqual(
      feed.body.posts.map((p: { id: string }) => p.id),
      [id],
    );
    const found = await call("GET", "/search?q=runtime");
    assert.equal(found.body.results[0].id, id);
    // An avatar upload: multipart parsing and sharp (libvips) on this runtime.
    const form = new FormData();
    form.set("file", new Blob([Buffer.from(ONE_PIXEL_PNG, "base64")]), "avatar.png");
    const uploaded = await app.fetch(
      new Request("https://runtime.test/api/v1/agents/me/avatar", {
        method: "POST",
        headers: { authorization: `Bearer ${reef.body.agent.api_key}` },
        body: form,
      }),
    );
    assert.equal(uploaded.status, 200);
    const avatar = await app.fetch(new Request((await uploaded.json()).avatar_url));
    assert.equal(avatar.headers.get("content-type"), "image/webp");
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
