import { describe, expect, it } from "vitest";
import { apiClient, refusal, registerAgent } from "../harness/api.ts";
import { createFixedClock } from "../harness/clock.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";
import { createNetwork } from "../harness/network.ts";

const WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

/** Solves a challenge as an agent would: read past the noise, find two numbers and the operation. */
function solve(challenge: string): string {
  const words = challenge
    .toLowerCase()
    .replace(/[^a-z ]/g, " ")
    .split(/\s+/);
  const numbers: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const value = WORDS[words[i] as string];
    if (value === undefined) continue;
    const next = WORDS[words[i + 1] as string];
    if (value >= 20 && next !== undefined && next < 10) {
      numbers.push(value + next);
      i++;
    } else numbers.push(value);
  }
  const [a, b] = numbers as [number, number];
  const text = words.join(" ");
  const result = text.includes("adds")
    ? a + b
    : text.includes("loses")
      ? a - b
      : text.includes("each minute")
        ? a * b
        : a / b;
  return result.toFixed(2);
}

const wrong = (answer: string) => (Number(answer) + 1).toFixed(2);

describe.each(DIALECTS)("%s: verification challenges", (dialect) => {
  it("are off by default: a post is published at once, with no challenge", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const created = await reef.api.post("/posts", { title: "Tide", content: "Low at noon." });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty("verification_required");
    expect(created.body.post).not.toHaveProperty("verification");
    expect((await reef.api.get(`/posts/${created.body.post.id}`)).status).toBe(200);
    expect(
      refusal(await reef.api.post("/verify", { verification_code: "x", answer: "1" })),
    ).toEqual([404, "NOT_FOUND", "Verification code not found"]);
  });

  it("in all mode, a post waits hidden, unfederated, until its author answers right", async () => {
    await using net = await createNetwork(
      ["alpha", "beta"],
      { dialect },
      { beta: { verificationChallenges: "all" } },
    );
    const beta = net.instance("beta");
    const reef = await registerAgent(net.instance("alpha"), "reef");
    const kelp = await registerAgent(beta, "kelp");
    await reef.api.post("/agents/kelp@beta.test/follow");
    await net.drain();
    const live: string[] = [];
    const stop = beta.live.hub.subscribe({ kind: "posts" }, (event) => live.push(event.data.id));

    const created = await kelp.api.post("/posts", {
      title: "Kelp secret",
      content: "Hidden tides.",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      success: true,
      verification_required: true,
      post: {
        title: "Kelp secret",
        verification_status: "pending",
        verification: {
          verification_code: expect.stringMatching(/^moltbook_verify_[0-9a-f]{32}$/),
          challenge_text: expect.any(String),
          expires_at: expect.any(String),
          instructions: expect.any(String),
        },
      },
    });
    const { id } = created.body.post;
    const { verification_code: code, challenge_text: challenge } = created.body.post.verification;
    expect(Date.parse(created.body.post.verification.expires_at) - Date.now()).toBeGreaterThan(
      4 * 60_000,
    );
    // The answer is sealed, the code only hashed: neither is in the database in clear.
    const stored = await beta.db.db.selectFrom("verification_challenges").selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(JSON.stringify(stored)).not.toContain(`"${solve(challenge)}"`);

    // Hidden everywhere, and not federated.
    const anonymous = apiClient(beta);
    expect((await anonymous.get(`/posts/${id}`)).status).toBe(404);
    expect((await anonymous.get("/posts?sort=new")).body.posts).toEqual([]);
    expect((await anonymous.get("/search?q=tides")).body.results ?? []).toEqual([]);
    expect((await beta.request(`/post/${id}`)).status).toBe(404);
    await net.drain();
    expect(net.traffic.filter((r) => r.type === "Create")).toEqual([]);

    const miss = await kelp.api.post("/verify", {
      verification_code: code,
      answer: wrong(solve(challenge)),
    });
    expect(miss.status).toBe(400);
    expect(miss.body).toMatchObject({
      success: false,
      error: "Incorrect answer",
      content_type: "post",
      content_id: id,
      hint: expect.any(String),
    });
    expect((await anonymous.get(`/posts/${id}`)).status).toBe(404);

    // Any numeric string is read to two decimals.
    const answer = String(Number(solve(challenge)));
    const hit = await kelp.api.post("/verify", { verification_code: code, answer });
    expect(hit.status).toBe(200);
    expect(hit.body).toMatchObject({ success: true, content_type: "post", content_id: id });
    expect((await anonymous.get(`/posts/${id}`)).body.post).toMatchObject({ title: "Kelp secret" });
    expect((await anonymous.get("/posts?sort=new")).body.posts).toHaveLength(1);
    expect((await anonymous.get("/search?q=tides")).body.results).toHaveLength(1);
    await expect.poll(() => live).toEqual([id]);
    stop();
    await net.drain();
    expect(net.traffic.filter((r) => r.type === "Create")).toHaveLength(1);
    const feed = await reef.api.get("/feed?sort=new");
    expect(feed.body.posts).toEqual([expect.objectContaining({ title: "Kelp secret" })]);

    expect(
      refusal(
        await kelp.api.post("/verify", { verification_code: code, answer: solve(challenge) }),
      ),
    ).toEqual([409, "CONFLICT", "This verification code was already used"]);

    // Comments wait the same way.
    const comment = await kelp.api.post(`/posts/${id}/comments`, { content: "A hidden reply" });
    expect(comment.body).toMatchObject({
      verification_required: true,
      comment: { verification_status: "pending" },
    });
    const thread = async () => (await anonymous.get(`/posts/${id}`)).body.comments;
    expect(await thread()).toEqual([]);
    const pending = comment.body.comment.verification;
    const ok = await kelp.api.post("/verify", {
      verification_code: pending.verification_code,
      answer: solve(pending.challenge_text),
    });
    expect(ok.body).toMatchObject({ content_type: "comment", content_id: comment.body.comment.id });
    expect(await thread()).toEqual([expect.objectContaining({ content: "A hidden reply" })]);
  });

  it("refuses expired, unknown and others' codes, and more than 30 answers a minute", async () => {
    const clock = createFixedClock(new Date().toISOString());
    await using instance = await startInstance({
      dialect,
      verificationChallenges: "all",
      overrides: { clock },
    });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const first = (await reef.api.post("/posts", { title: "One", content: "a" })).body.post;
    clock.advance(5 * 60_000 + 1);
    const late = await reef.api.post("/verify", {
      verification_code: first.verification.verification_code,
      answer: solve(first.verification.challenge_text),
    });
    expect(refusal(late)).toEqual([410, "GONE", "This verification challenge has expired"]);
    expect(late.body).toMatchObject({ content_type: "post", content_id: first.id });
    expect((await reef.api.get(`/posts/${first.id}`)).status).toBe(404);

    clock.advance(60 * 60_000);
    const second = (await reef.api.post("/posts", { title: "Two", content: "b" })).body.post;
    const code = second.verification.verification_code;
    const unknown = `moltbook_verify_${"0".repeat(32)}`;
    expect(
      refusal(await reef.api.post("/verify", { verification_code: unknown, answer: "1" })),
    ).toEqual([404, "NOT_FOUND", "Verification code not found"]);
    expect(
      refusal(await kelp.api.post("/verify", { verification_code: code, answer: "1" })),
    ).toEqual([404, "NOT_FOUND", "Verification code not found"]);
    expect(
      refusal(await reef.api.post("/verify", { verification_code: code, answer: "many" })),
    ).toEqual([400, "VALIDATION_ERROR", "answer must be a number"]);
    expect((await reef.api.post("/verify", { verification_code: code })).status).toBe(400);
    // 30 answers a minute (one spent above on an unknown code; one that is no number is not an
    // answer); the 31st is refused, even if right. Guesses at codes count as answers (wrong
    // answers too, but ten of those in a row would suspend the agent first).
    const right = solve(second.verification.challenge_text);
    for (let i = 0; i < 29; i++) {
      const miss = await reef.api.post("/verify", { verification_code: unknown, answer: right });
      expect(miss.body.error).toBe("Verification code not found");
    }
    const over = await reef.api.post("/verify", { verification_code: code, answer: right });
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).not.toBeNull();
    clock.advance(60_000);
    expect(
      (await reef.api.post("/verify", { verification_code: code, answer: right })).status,
    ).toBe(200);
    // A day on, a new challenge clears the old ones.
    clock.advance(25 * 60 * 60_000);
    await reef.api.post("/posts", { title: "Three", content: "c" });
    const kept = instance.db.db.selectFrom("verification_challenges").select("content_id");
    expect(await kept.execute()).toHaveLength(1);
  });

  it("counts content waiting for an answer against the posting cooldown", async () => {
    await using instance = await startInstance({
      dialect,
      verificationChallenges: "all",
      limits: { enabled: true },
    });
    const reef = await registerAgent(instance, "reef");
    expect((await reef.api.post("/posts", { title: "One", content: "a" })).status).toBe(201);
    expect((await reef.api.post("/posts", { title: "Two", content: "b" })).status).toBe(429);
  });

  it("in new_agents mode, only agents in their first day answer challenges", async () => {
    const clock = createFixedClock(new Date().toISOString());
    await using instance = await startInstance({
      dialect,
      verificationChallenges: "new_agents",
      overrides: { clock },
    });
    const reef = await registerAgent(instance, "reef");
    const fresh = await reef.api.post("/posts", { title: "Day one", content: "a" });
    expect(fresh.body.verification_required).toBe(true);
    clock.advance(25 * 60 * 60_000);
    const seasoned = await reef.api.post("/posts", { title: "Day two", content: "b" });
    expect(seasoned.body).not.toHaveProperty("verification_required");
    expect((await reef.api.get(`/posts/${seasoned.body.post.id}`)).status).toBe(200);
  });
  it("a submolt waits 30 s for its challenge, its name held, and is created by the answer", async () => {
    const clock = createFixedClock(new Date().toISOString());
    await using instance = await startInstance({
      dialect,
      verificationChallenges: "all",
      overrides: { clock },
    });
    const reef = await registerAgent(instance, "reef");
    const kelp = await registerAgent(instance, "kelp");
    const anonymous = apiClient(instance);
    const created = await reef.api.post("/submolts", { name: "tidepools", description: "Pools" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      success: true,
      verification_required: true,
      submolt: {
        name: "tidepools",
        description: "Pools",
        verification_status: "pending",
        verification: {
          verification_code: expect.stringMatching(/^moltbook_verify_[0-9a-f]{32}$/),
          challenge_text: expect.any(String),
          instructions: expect.any(String),
          expires_at: new Date(clock.now().getTime() + 30_000).toISOString(),
        },
      },
    });
    const pending = created.body.submolt.verification;
    expect((await anonymous.get("/submolts/tidepools")).status).toBe(404);
    expect(
      (await anonymous.get("/submolts")).body.submolts.map((s: { name: string }) => s.name),
    ).not.toContain("tidepools");
    // Held for reef while it answers: no one else takes the name.
    expect(refusal(await kelp.api.post("/submolts", { name: "tidepools" }))).toEqual([
      409,
      "CONFLICT",
      "Submolt name already taken",
    ]);
    clock.advance(29_000);
    const ok = await reef.api.post("/verify", {
      verification_code: pending.verification_code,
      answer: solve(pending.challenge_text),
    });
    expect(ok.body).toMatchObject({
      success: true,
      content_type: "submolt",
      content_id: created.body.submolt.id,
    });
    expect((await anonymous.get("/submolts/tidepools")).body.submolt).toMatchObject({
      id: created.body.submolt.id,
      name: "tidepools",
      subscriber_count: 1,
      your_role: null,
    });
    expect((await reef.api.get("/submolts/tidepools")).body.submolt.your_role).toBe("owner");

    // Left 30 s: gone, and its name free again.
    const late = await reef.api.post("/submolts", { name: "kelpbeds" });
    clock.advance(30_001);
    expect(
      refusal(
        await reef.api.post("/verify", {
          verification_code: late.body.submolt.verification.verification_code,
          answer: solve(late.body.submolt.verification.challenge_text),
        }),
      ),
    ).toEqual([410, "GONE", "This verification challenge has expired"]);
    expect((await anonymous.get("/submolts/kelpbeds")).status).toBe(404);
    const taken = await kelp.api.post("/submolts", { name: "kelpbeds" });
    expect(taken.body.submolt.verification_status).toBe("pending");
  });

  it("ten failures in a row suspend the agent for 10 hours, then 7 days; a right answer resets the count", async () => {
    const clock = createFixedClock(new Date().toISOString());
    await using instance = await startInstance({
      dialect,
      verificationChallenges: "all",
      overrides: { clock },
    });
    const reef = await registerAgent(instance, "reef");
    const challenge = async (title: string) =>
      (await reef.api.post("/posts", { title, content: "." })).body.post.verification as {
        verification_code: string;
        challenge_text: string;
      };
    const miss = async (c: { verification_code: string; challenge_text: string }) =>
      reef.api.post("/verify", {
        verification_code: c.verification_code,
        answer: wrong(solve(c.challenge_text)),
      });
    const first = await challenge("One");
    for (let i = 0; i < 9; i++) expect((await miss(first)).status).toBe(400);
    const right = await reef.api.post("/verify", {
      verification_code: first.verification_code,
      answer: solve(first.challenge_text),
    });
    expect(right.status).toBe(200);

    // Nine wrong answers and one challenge left to expire: counted at the next answer.
    const second = await challenge("Two");
    for (let i = 0; i < 9; i++) expect((await miss(second)).status).toBe(400);
    await challenge("Three");
    clock.advance(5 * 60_000 + 1);
    const suspended = await miss(second);
    const message =
      "Your account is suspended: failed verification challenges. Suspension ends in 10 hours.";
    expect(refusal(suspended)).toEqual([403, "FORBIDDEN", message]);
    const until = new Date(clock.now().getTime() + 10 * 3_600_000).toISOString();
    expect(suspended.body.suspended_until).toBe(until);
    expect(refusal(await reef.api.get("/agents/me"))).toEqual([403, "FORBIDDEN", message]);
    expect((await apiClient(instance).get(`/posts/${right.body.content_id}`)).status).toBe(404);

    clock.advance(9 * 3_600_000 + 30 * 60_000);
    expect(refusal(await reef.api.get("/agents/me"))[2]).toMatch(/Suspension ends in 1 hour\.$/);
    clock.advance(30 * 60_000);
    expect((await reef.api.get("/agents/me")).status).toBe(200);
    expect((await apiClient(instance).get(`/posts/${right.body.content_id}`)).status).toBe(200);
    const told = (await reef.api.get("/notifications")).body.notifications;
    expect(told.map((n: { type: string }) => n.type)).toEqual(["unsuspended", "suspended"]);
    expect(told[1]).toMatchObject({ detail: "failed verification challenges", ends_at: until });

    // Again: seven days this time.
    const third = await challenge("Four");
    for (let i = 0; i < 9; i++) expect((await miss(third)).status).toBe(400);
    expect(refusal(await miss(third))[2]).toBe(
      "Your account is suspended: failed verification challenges. Suspension ends in 168 hours.",
    );
  });
});
