import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { parseEnv, toConfig } from "../../src/config/config.ts";
import type { Dialect } from "../../src/db/connect.ts";
import type { RateLimits } from "../../src/domain/limits.ts";
import type { Clock } from "../../src/lib/clock.ts";
import { apiClient, registerAgent, rowCounts } from "../harness/api.ts";
import { createFixedClock } from "../harness/clock.ts";
import { testConfig } from "../harness/config.ts";
import { createTestDbPlace } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";

const MINUTE = 60_000;
const START = "2026-06-01T00:00:10.000Z";

/** An instance with rate limits on (defaults, or as given) and time under the test's control. */
function startLimited(
  dialect: Dialect,
  clock: Clock,
  limits: Partial<RateLimits> = {},
): Promise<TestInstance> {
  return startInstance({ dialect, limits: { enabled: true, ...limits }, overrides: { clock } });
}

describe.each(DIALECTS)("%s: rate limits", (dialect) => {
  it("limits reads per agent per minute with exact headers, then lets the next window in", async () => {
    const clock = createFixedClock(START);
    await using instance = await startLimited(dialect, clock, { readsPerMinute: 3 });
    const reef = await registerAgent(instance, "reef");
    const reset = String(Date.parse("2026-06-01T00:01:00.000Z") / 1000);
    for (const remaining of ["2", "1", "0"]) {
      const ok = await reef.api.get("/agents/me");
      expect(ok.status).toBe(200);
      expect([
        ok.headers.get("x-ratelimit-limit"),
        ok.headers.get("x-ratelimit-remaining"),
        ok.headers.get("x-ratelimit-reset"),
      ]).toEqual(["3", remaining, reset]);
    }
    const limited = await reef.api.get("/agents/me");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("50");
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited.body).toMatchObject({
      success: false,
      code: "RATE_LIMITED",
      error: "Rate limit exceeded: 3 reads per minute",
      retryAfter: 50,
      retry_after_seconds: 50,
      retry_after_minutes: 1,
    });
    expect(typeof limited.body.hint).toBe("string");
    // Another agent, and the health check, have their own quotas.
    expect((await (await registerAgent(instance, "kelp")).api.get("/agents/me")).status).toBe(200);
    expect((await instance.request("/api/v1/health")).status).toBe(200);
    clock.advance(MINUTE);
    expect((await reef.api.get("/agents/me")).status).toBe(200);
  });

  it("limits writes separately, and anonymous clients by address", async () => {
    const clock = createFixedClock(START);
    await using instance = await startLimited(dialect, clock, {
      writesPerMinute: 2,
      readsPerMinute: 100,
    });
    const reef = await registerAgent(instance, "reef");
    await reef.api.patch("/agents/me", { description: "one" });
    await reef.api.patch("/agents/me", { description: "two" });
    const refused = await reef.api.patch("/agents/me", { description: "three" });
    expect([refused.status, refused.body.error]).toEqual([
      429,
      "Rate limit exceeded: 2 writes per minute",
    ]);
    expect((await reef.api.get("/agents/me")).body.agent.description).toBe("two");
    // Registration was the anonymous client's first write; the second still fits, the third not.
    expect((await apiClient(instance).post("/agents/register", { name: "second" })).status).toBe(
      201,
    );
    const third = await apiClient(instance).post("/agents/register", { name: "third" });
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("50");
  });

  it("holds across two instances sharing one database", async () => {
    const place = await createTestDbPlace(dialect);
    const clock = createFixedClock(START);
    const config = testConfig({ db: place.config, limits: { enabled: true, readsPerMinute: 4 } });
    const first = await createApp(config, { clock });
    const second = await createApp(config, { clock });
    try {
      const register = await first.fetch(
        new Request("https://alpha.test/api/v1/agents/register", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "reef" }),
        }),
      );
      const key = ((await register.json()) as { agent: { api_key: string } }).agent.api_key;
      const read = (app: typeof first) =>
        app.fetch(
          new Request("https://alpha.test/api/v1/agents/me", {
            headers: { authorization: `Bearer ${key}` },
          }),
        );
      const statuses = [];
      for (const app of [first, second, first, second, first, second])
        statuses.push((await read(app)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await first.close();
      await second.close();
      await place.destroy();
    }
  });

  it("enforces the post cooldown, stricter for new agents, and refuses without side effects", async () => {
    const clock = createFixedClock(START);
    await using instance = await startLimited(dialect, clock);
    const reef = await registerAgent(instance, "reef");
    expect((await reef.api.post("/posts", { title: "one", content: "x" })).status).toBe(201);
    clock.advance(30 * MINUTE);
    const before = await rowCounts(instance);
    const early = await reef.api.post("/posts", { title: "two", content: "x" });
    expect(early.status).toBe(429);
    expect(early.body).toMatchObject({
      code: "RATE_LIMITED",
      error: "You can only post once every 120 minutes",
      retry_after_minutes: 90,
      retry_after_seconds: 5400,
    });
    expect(early.headers.get("retry-after")).toBe("5400");
    expect(await rowCounts(instance)).toEqual({
      ...before,
      rate_limit_counters: (await rowCounts(instance)).rate_limit_counters,
    });
    // A day later the agent is not new: 30 minutes between posts.
    clock.advance(24 * 60 * MINUTE);
    expect((await reef.api.post("/posts", { title: "two", content: "x" })).status).toBe(201);
    clock.advance(10 * MINUTE);
    const again = await reef.api.post("/posts", { title: "three", content: "x" });
    expect([again.status, again.body.error, again.body.retry_after_minutes]).toEqual([
      429,
      "You can only post once every 30 minutes",
      20,
    ]);
  });

  it("enforces the comment cooldown and the daily cap", async () => {
    const clock = createFixedClock(START);
    await using instance = await startLimited(dialect, clock, {
      newAgentHours: 0,
      commentsPerDay: 2,
    });
    const reef = await registerAgent(instance, "reef");
    const post = (await reef.api.post("/posts", { title: "t", content: "x" })).body.post;
    expect((await reef.api.post(`/posts/${post.id}/comments`, { content: "a" })).status).toBe(201);
    clock.advance(5_000);
    const soon = await reef.api.post(`/posts/${post.id}/comments`, { content: "b" });
    expect(soon.body).toMatchObject({
      code: "RATE_LIMITED",
      error: "You can only comment once every 20 seconds",
      retry_after_seconds: 15,
      daily_remaining: 1,
    });
    clock.advance(15_000);
    expect((await reef.api.post(`/posts/${post.id}/comments`, { content: "b" })).status).toBe(201);
    clock.advance(60_000);
    const capped = await reef.api.post(`/posts/${post.id}/comments`, { content: "c" });
    expect(capped.body).toMatchObject({
      code: "RATE_LIMITED",
      error: "You can only comment 2 times per day",
      daily_remaining: 0,
    });
  });

  it("gives new agents the stricter comment cooldown and daily cap", async () => {
    const clock = createFixedClock(START);
    await using instance = await startLimited(dialect, clock, { newAgentCommentsPerDay: 2 });
    const reef = await registerAgent(instance, "reef");
    const post = (await reef.api.post("/posts", { title: "t", content: "x" })).body.post;
    const comment = (content: string) => reef.api.post(`/posts/${post.id}/comments`, { content });
    expect((await comment("a")).status).toBe(201);
    clock.advance(30_000);
    const soon = await comment("b");
    expect(soon.status).toBe(429);
    expect(soon.body).toMatchObject({
      code: "RATE_LIMITED",
      error: "You can only comment once every 60 seconds",
      retry_after_seconds: 30,
      daily_remaining: 1,
    });
    expect(soon.headers.get("retry-after")).toBe("30");
    clock.advance(30_000);
    expect((await comment("b")).status).toBe(201);
    clock.advance(60_000);
    expect((await comment("c")).body.error).toBe("You can only comment 2 times per day");
    // A day on, the agent is no longer new and its earlier comments are out of the window.
    clock.advance(24 * 60 * MINUTE);
    expect((await comment("c")).status).toBe(201);
  });

  it("allows one new submolt per hour", async () => {
    const clock = createFixedClock(START);
    await using instance = await startLimited(dialect, clock);
    const reef = await registerAgent(instance, "reef");
    expect((await reef.api.post("/submolts", { name: "first" })).status).toBe(201);
    const second = await reef.api.post("/submolts", { name: "second" });
    expect([second.status, second.body.error]).toEqual([
      429,
      "You can only create 1 submolt per hour",
    ]);
    clock.advance(61 * MINUTE);
    expect((await reef.api.post("/submolts", { name: "second" })).status).toBe(201);
  });
});

describe("rate limit configuration", () => {
  it("reads every number from the environment and names a bad one", () => {
    const config = toConfig(
      parseEnv({
        RATE_LIMITS: "off",
        RATE_LIMIT_READS_PER_MINUTE: "120",
        RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: "5",
      }),
      "s".repeat(32),
    );
    expect(config.limits).toMatchObject({
      enabled: false,
      readsPerMinute: 120,
      writesPerMinute: 30,
      postCooldownMinutes: 30,
      authFailuresPerMinute: 5,
      claimAttemptsPerHour: 10,
    });
    expect(() => parseEnv({ RATE_LIMIT_COMMENTS_PER_DAY: "lots" })).toThrow(
      /RATE_LIMIT_COMMENTS_PER_DAY/,
    );
    expect(() => parseEnv({ RATE_LIMITS: "maybe" })).toThrow(/RATE_LIMITS/);
  });
});
