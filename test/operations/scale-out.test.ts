import { describe, expect, it } from "vitest";
import { createTestDbPlace, databaseUrl } from "../harness/db.ts";
import { TEST_DATABASE_URL } from "../harness/dialects.ts";
import { fixture, serveFakeRemote } from "../harness/fake-remote.ts";
import { type InstanceProcess, runCliProcess, startInstanceProcess } from "../harness/process.ts";
import { api, eventually, register } from "../harness/remote-api.ts";

// One instance as four processes on one PostgreSQL database: two web processes (as behind a
// load balancer) and two workers. A follower on another server counts what reaches it.

const WRITES_PER_MINUTE = 12;

describe("scale-out on PostgreSQL", () => {
  it.skipIf(TEST_DATABASE_URL === undefined)(
    "two web and two worker processes: every post delivered once, rate limits shared",
    { timeout: 90_000 },
    async () => {
      const place = await createTestDbPlace("postgres");
      const env = {
        DATABASE_URL: databaseUrl(place.config),
        SECRET_KEY: "scale-out-secret-0123456789abcdef0123456789",
        RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES_PER_MINUTE),
        RATE_LIMIT_READS_PER_MINUTE: "1000",
        RATE_LIMIT_POST_COOLDOWN_MINUTES: "0",
        RATE_LIMIT_NEW_AGENT_POST_COOLDOWN_MINUTES: "0",
        QUEUE_WORKERS: "4",
      };
      const processes: InstanceProcess[] = [];
      try {
        const web1 = await startInstanceProcess(env, { args: ["--role", "web"] });
        processes.push(web1);
        const shared = { origin: web1.origin, dir: web1.dir };
        const web2 = await startInstanceProcess(env, { ...shared, args: ["--role", "web"] });
        processes.push(web2);
        for (let i = 0; i < 2; i++) {
          processes.push(await startInstanceProcess(env, { ...shared, args: ["--role=worker"] }));
        }
        await using watcher = await serveFakeRemote(fixture("mastodon/objects/person.json"), "w");

        // The watcher follows the submolt; the Accept comes from whichever worker takes it.
        const group = `${web1.origin}/ap/actors/general`;
        const follow = await watcher.send(`${group}/inbox`, {
          "@context": "https://www.w3.org/ns/activitystreams",
          id: `${watcher.actorId}#follows/general`,
          type: "Follow",
          actor: watcher.actorId,
          object: group,
        });
        expect(follow.status).toBe(202);
        await eventually(
          async () => watcher.received.filter((a) => a.body.type === "Accept").length,
          (n) => n === 1,
        );

        // Ten posts, alternately through each web process.
        const herald = await register(web1.url, "herald");
        const posted: string[] = [];
        for (let i = 0; i < 10; i++) {
          const via = i % 2 === 0 ? web1 : web2;
          const post = await api(via.url, "/posts", {
            method: "POST",
            key: herald.key,
            body: { title: `Post ${i} via ${via === web1 ? "web1" : "web2"}`, content: "x" },
          });
          expect(post.status).toBe(201);
          posted.push(post.body.post.ap_id);
        }
        const announced = () =>
          watcher.received
            .filter((a) => a.body.type === "Announce")
            .map((a) => a.body.object as string);
        // The submolt announces each post's Create (FEP-1b12) and the Page itself (Mastodon).
        const expected = posted.flatMap((id) => [id, `${id}/create`]).sort();
        await eventually(
          async () => announced(),
          (objects) => expected.every((id) => objects.includes(id)),
          30_000,
        );
        // Once nothing is queued or in flight, no duplicate can still come: count.
        await eventually(
          () => runCliProcess(env, "queue"),
          (text) => text.includes("0 ready, 0 waiting to retry, 0 in flight, 0 dead letters"),
        );
        expect(announced().sort()).toEqual(expected);
        const ids = watcher.received.map((a) => a.body.id as string);
        expect(new Set(ids).size).toBe(ids.length);

        // One agent's writes, spread over both web processes, share one per-minute budget.
        const burst = await register(web2.url, "burst");
        const statuses: number[] = [];
        for (let i = 0; i <= WRITES_PER_MINUTE; i++) {
          const via = i % 2 === 0 ? web1 : web2;
          const response = await api(via.url, "/agents/me", {
            method: "PATCH",
            key: burst.key,
            body: { description: `Write ${i}` },
          });
          statuses.push(response.status);
          if (response.status === 429) {
            expect(response.body).toMatchObject({ success: false, code: "RATE_LIMITED" });
            expect(response.headers.get("retry-after")).not.toBeNull();
          }
        }
        expect(statuses.slice(0, WRITES_PER_MINUTE).every((s) => s === 200)).toBe(true);
        expect(statuses.at(-1)).toBe(429);
      } finally {
        for (const p of processes.reverse()) await p[Symbol.asyncDispose]();
        await place.destroy();
      }
    },
  );
});
