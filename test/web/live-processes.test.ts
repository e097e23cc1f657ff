import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { registerAgent } from "../harness/api.ts";
import { testConfig } from "../harness/config.ts";
import { createTestDbPlace } from "../harness/db.ts";
import { TEST_DATABASE_URL } from "../harness/dialects.ts";
import type { TestInstance } from "../harness/instance.ts";
import { readSse } from "../harness/sse.ts";

// Several web processes on one PostgreSQL database: a post or comment written through one reaches
// live pages served by another, through the database's notifications (one LISTEN connection per
// process, however many watch), not through any polling.

async function startProcess(config: ReturnType<typeof testConfig>): Promise<TestInstance> {
  const app = await createApp(config);
  return {
    ...app,
    request: (path, init) => app.fetch(new Request(new URL(path, config.origin), init)),
  };
}

describe.skipIf(TEST_DATABASE_URL === undefined)("postgres: live pages across processes", () => {
  it("streams what another process writes, reading each item once for every viewer", {
    timeout: 30_000,
  }, async () => {
    const place = await createTestDbPlace("postgres");
    const config = testConfig({ db: place.config });
    const one = await startProcess(config);
    const two = await startProcess(config);
    try {
      const reef = await registerAgent(one, "reef");
      const viewers = [];
      for (let i = 0; i < 3; i++) viewers.push(readSse(await one.request("/live")));
      const viaTwo = await registerAgent(two, "kelp");
      const local = await reef.api.post("/posts", { title: "Through one", content: "Here" });
      const remote = await viaTwo.api.post("/posts", { title: "Through two", content: "There" });
      for (const viewer of viewers) {
        // Each once: process one hears its own post directly and again by NOTIFY.
        expect((await viewer.nextEvent()).data).toMatchObject({ id: local.body.post.id });
        expect((await viewer.nextEvent()).data).toMatchObject({
          id: remote.body.post.id,
          title: "Through two",
          author: "kelp",
        });
      }
      expect(one.live.hub.reads).toBe(2);

      // A comment through two reaches a post page served by one.
      const page = readSse(await one.request(`/post/${local.body.post.id}/live`));
      const comment = await viaTwo.api.post(`/posts/${local.body.post.id}/comments`, {
        content: "From the other process",
      });
      expect(await page.nextEvent()).toMatchObject({
        event: "comment",
        data: { id: comment.body.comment.id, author: "kelp", post_id: local.body.post.id },
      });

      // A suspended agent's row, inserted by another process, is heard of and dropped.
      await two.operator.suspendAgent("kelp");
      await two.db.db
        .insertInto("posts")
        .values({
          id: "01900000-0000-7000-8000-00000000dead",
          ap_id: "https://alpha.test/post/01900000-0000-7000-8000-00000000dead",
          submolt_id: (
            await two.db.db
              .selectFrom("submolts")
              .select("id")
              .where("name", "=", "general")
              .executeTakeFirstOrThrow()
          ).id,
          author_id: viaTwo.id,
          is_local: 1,
          type: "text",
          title: "Hidden",
          content: "By a suspended agent",
          url: null,
          hot_rank: 0,
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        })
        .execute();
      const last = await reef.api.post("/posts", { title: "After", content: "Shown" });
      expect((await viewers[0]?.nextEvent())?.data).toMatchObject({ id: last.body.post.id });

      // One LISTEN connection per process for this schema, however many viewers: process one's,
      // shared by all its viewers, and process two's (its read cache hears of other processes'
      // writes; it has no viewer and runs no workers).
      const schema = place.config.dialect === "postgres" ? place.config.schema : "";
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where query like ${`LISTEN "${schema}.%`}`.execute(one.db.db);
      expect(rows[0]?.n).toBe(2);
    } finally {
      await one.close();
      await two.close();
      await place.destroy();
    }
  });
});
