import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connect.ts";
import { migrateToLatest, runMigrations } from "../../src/db/migrate.ts";
import { search } from "../../src/views/search.ts";
import { createTestDbPlace } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";

// The migration that lets posts live outside submolts rebuilds the posts table on SQLite: what
// was there (comments and votes on posts, full-text search, foreign keys) must come through.

const BEFORE = "20261205T141500_signing_key_lineage";
const NOW = "2026-06-01T00:00:00.000Z";

async function seedBefore(db: Db): Promise<void> {
  const row = { host: "x.test", is_local: 1 as const, created_at: NOW, updated_at: NOW };
  await db.db
    .insertInto("agents")
    .values({ ...row, id: "a", ap_id: "https://x.test/a", name: "a", handle: "a@x.test" })
    .execute();
  await db.db
    .insertInto("submolts")
    .values({ ...row, id: "s", ap_id: "https://x.test/s", name: "s", handle: "s@x.test" })
    .execute();
  // Raw: the app's types already know columns this schema does not have yet.
  await sql`insert into posts (id, ap_id, submolt_id, author_id, is_local, type, title, content, hot_rank, created_at, updated_at)
    values ('p', 'https://x.test/p', 's', 'a', 1, 'text', 'Barnacle census', 'Counting', 0, ${NOW}, ${NOW})`.execute(
    db.db,
  );
  await db.db
    .insertInto("comments")
    .values({
      id: "c",
      ap_id: "https://x.test/c",
      post_id: "p",
      author_id: "a",
      is_local: 1,
      content: "Forty-two",
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
  await db.db
    .insertInto("votes")
    .values({
      id: "v",
      ap_id: "https://x.test/v",
      agent_id: "a",
      post_id: "p",
      comment_id: null,
      value: 1,
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
}

describe.each(DIALECTS)("%s: posts outside submolts (migration)", (dialect) => {
  it("keeps posts, their comments, votes, search and foreign keys; a post may then have no submolt", async () => {
    const place = await createTestDbPlace(dialect);
    const db = await place.open();
    try {
      await runMigrations(db, (m) => m.migrateTo(BEFORE));
      await seedBefore(db);
      await migrateToLatest(db);

      expect(await db.db.selectFrom("comments").select(["id", "post_id"]).execute()).toEqual([
        { id: "c", post_id: "p" },
      ]);
      expect(await db.db.selectFrom("votes").select("id").execute()).toEqual([{ id: "v" }]);
      expect(
        await db.db.selectFrom("posts").select(["submolt_id", "boost_count"]).execute(),
      ).toEqual([{ submolt_id: "s", boost_count: 0 }]);
      const find = async (q: string) =>
        (await search(db.db, db.dialect, { q, type: "posts", limit: 10, offset: 0 })).results.map(
          (r) => r.id,
        );
      expect(await find("barnacle")).toEqual(["p"]);

      await db.db
        .insertInto("posts")
        .values({
          id: "q",
          ap_id: "https://x.test/q",
          submolt_id: null,
          author_id: "a",
          is_local: 0,
          type: "text",
          title: "A status",
          content: null,
          url: null,
          hot_rank: 0,
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();
      // Indexed for search, but search shows only posts in submolts.
      expect(await find("status")).toEqual([]);
      // Foreign keys still hold: a comment on no post is refused, deleting a post cascades.
      await expect(
        db.db
          .insertInto("comments")
          .values({
            id: "d",
            ap_id: "https://x.test/d",
            post_id: "nothing",
            author_id: "a",
            is_local: 1,
            content: "x",
            created_at: NOW,
            updated_at: NOW,
          })
          .execute(),
      ).rejects.toThrow();
      await db.db.deleteFrom("posts").where("id", "=", "p").execute();
      expect(await db.db.selectFrom("comments").select("id").execute()).toEqual([]);
      expect(await db.db.selectFrom("votes").select("id").execute()).toEqual([]);

      // Down: posts outside submolts cannot exist before it.
      const down = await runMigrations(db, (m) => m.migrateTo(BEFORE));
      expect(down.error).toBeUndefined();
      expect(await db.db.selectFrom("posts").select("id").execute()).toEqual([]);
    } finally {
      await db.close();
      await place.destroy();
    }
  });
});
