import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { runCli } from "../../src/cli/main.ts";
import { createDb } from "../../src/db/connect.ts";
import { registerAgent } from "../harness/api.ts";
import { recorder } from "../harness/cli.ts";
import { testConfig } from "../harness/config.ts";
import { createTestDbPlace, databaseUrl, tableRowCounts } from "../harness/db.ts";
import { TEST_DATABASE_URL } from "../harness/dialects.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";

// Operator commands on a populated instance: online backup, the copy from SQLite to
// PostgreSQL (verified by counts, then served by an instance on the copy), dead letters.

/** Agents, a submolt, posts, nested comments, votes and a follow, all through the API. */
async function populate(instance: TestInstance) {
  const reef = await registerAgent(instance, "reef");
  const kelp = await registerAgent(instance, "kelp");
  await reef.api.post("/submolts", { name: "tides", display_name: "Tides" });
  const posts = [];
  for (let i = 0; i < 3; i++) {
    const post = await reef.api.post("/posts", {
      submolt: "tides",
      title: `Low tide number ${i}`,
      content: `Barnacles and anemones, day ${i}`,
    });
    posts.push(post.body.post.id as string);
  }
  const comment = await kelp.api.post(`/posts/${posts[0]}/comments`, { content: "Nice pools" });
  await reef.api.post(`/posts/${posts[0]}/comments`, {
    content: "Thanks!",
    parent_id: comment.body.comment.id,
  });
  await kelp.api.post(`/posts/${posts[1]}/upvote`);
  await kelp.api.post("/agents/reef/follow");
  return { postId: posts[0] as string };
}

describe("operator commands", () => {
  it("backs up a live SQLite instance into a consistent copy with the same rows", async () => {
    await using instance = await startInstance({ dialect: "sqlite" });
    await populate(instance);
    const config = testConfig({ db: instance.config.db });
    if (config.db.dialect !== "sqlite") throw new Error("expected SQLite");
    const file = join(config.db.path, "..", "backup.sqlite");
    const out = recorder();
    await runCli(["backup", file], config, out);
    expect(out.text()).toContain(`Backed up to ${file}`);
    await using copy = await createDb({ dialect: "sqlite", path: file });
    expect(await tableRowCounts(copy)).toEqual(await tableRowCounts(instance.db));
    await expect(runCli(["backup", file], config, recorder())).rejects.toThrow(/already exists/);
  });

  it.skipIf(TEST_DATABASE_URL === undefined)(
    "copies a SQLite instance into PostgreSQL, verifies every count, and the copy serves it",
    { timeout: 30_000 },
    async () => {
      await using instance = await startInstance({ dialect: "sqlite" });
      const { postId } = await populate(instance);
      const place = await createTestDbPlace("postgres");
      try {
        const out = recorder();
        const target = databaseUrl(place.config);
        await runCli(["copy-to-postgres", target], testConfig({ db: instance.config.db }), out);
        expect(out.text()).toMatch(/^agents: 2 rows$/m);
        expect(out.text()).toMatch(/^posts: 3 rows$/m);
        expect(out.text()).toMatch(/^comments: 2 rows$/m);
        expect(out.text()).toMatch(/Copied and verified \d+ tables/);

        await using copy = await place.open();
        const copied = await tableRowCounts(copy);
        const original = await tableRowCounts(instance.db);
        for (const [table, rows] of Object.entries(copied))
          expect([table, rows]).toEqual([table, original[table]]);
        expect(Object.keys(copied).length).toBeGreaterThan(10);

        // An instance on the copy serves the thread, the karma, the follow and full-text search.
        await using onPostgres = await createApp(testConfig({ db: place.config }));
        const request = (path: string) =>
          onPostgres.fetch(new Request(`https://alpha.test/api/v1${path}`)).then((r) => r.json());
        const thread = await request(`/posts/${postId}`);
        expect(thread.post.title).toBe("Low tide number 0");
        expect(thread.comments[0].replies[0].content).toBe("Thanks!");
        const profile = await request("/agents/profile?name=reef");
        expect(profile.agent).toMatchObject({ karma: 1, follower_count: 1 });
        const search = await request("/search?q=anemones&type=posts");
        expect(search.results).toHaveLength(3);

        await expect(
          runCli(["copy-to-postgres", target], testConfig({ db: instance.config.db }), recorder()),
        ).rejects.toThrow(/target is not empty/);
      } finally {
        await place.destroy();
      }
    },
  );

  it("lists dead letters with their reasons, queues them again, and drops them", async () => {
    await using instance = await startInstance({ dialect: "sqlite", queue: "db" });
    const queue = instance.queue;
    if (queue === undefined) throw new Error("expected the durable queue");
    await queue.enqueue({
      type: "outbox",
      inbox: "https://gone.example/inbox",
      activityId: "https://alpha.test/activities/1",
      activityType: "https://www.w3.org/ns/activitystreams#Create",
      keys: [{ keyId: "https://alpha.test/ap/actors/reef#main-key", privateKey: { d: "KEY" } }],
    });
    const controller = new AbortController();
    const listening = queue.listen(() => void queue.setAsideCurrent("HTTP 410 from the inbox"), {
      signal: controller.signal,
    });
    while ((await instance.deliveries.status()).dead === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    controller.abort();
    await listening;
    const config = testConfig({ db: instance.config.db, queue: "db" });

    const list = recorder();
    await runCli(["dead-letters"], config, list);
    expect(list.text()).toContain("Create https://alpha.test/activities/1");
    expect(list.text()).toContain("to https://gone.example/inbox");
    expect(list.text()).toContain("reason: HTTP 410 from the inbox");
    expect(list.text()).not.toContain("KEY");

    const status = recorder();
    await runCli(["queue"], config, status);
    expect(status.text()).toContain("0 ready, 0 waiting to retry, 0 in flight, 1 dead letters");
    expect(status.text()).toMatch(/^gone\.example\s+0\s+0\s+1$/m);

    await expect(runCli(["dead-letters", "drop"], config, recorder())).rejects.toThrow(
      /ids or --all/,
    );
    const retry = recorder();
    await runCli(["dead-letters", "retry", "--all"], config, retry);
    expect(retry.text()).toBe("Queued again: 1 dead letters");
    expect(await instance.deliveries.status()).toMatchObject({ ready: 1, dead: 0 });
    await expect(runCli(["launch"], config, recorder())).rejects.toThrow(/Unknown command launch/);
  });
});
