import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connect.ts";
import { type FeedRequest, feedQuery, listFeed } from "../../src/views/feed.ts";
import { createReadCache, type ReadCache } from "../../src/views/read-cache.ts";
import { createTestDb } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";

// The personal feed reads each source (followed agent, subscribed submolt) through its own index
// and merges; it must show exactly what the one query over all posts shows, page after page.

const NOW = "2026-06-01T00:00:00.000Z";
const hex = (n: number) => n.toString(16).padStart(12, "0");

async function seed(db: Db): Promise<void> {
  // Agents a0…a5 and submolts s0…s3: local actors, one name space.
  const actors = (prefix: "a" | "s", count: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: `${prefix}-${i}`,
      ap_id: `https://x.test/ap/actors/${prefix}${i}`,
      name: `${prefix}${i}`,
      handle: `${prefix}${i}@x.test`,
      host: "x.test",
      is_local: 1 as const,
      created_at: NOW,
      updated_at: NOW,
    }));
  await db.db.insertInto("agents").values(actors("a", 6)).execute();
  await db.db.insertInto("submolts").values(actors("s", 4)).execute();
  const posts = Array.from({ length: 90 }, (_, i) => ({
    id: `00000000-0000-7000-8000-${hex(i)}`,
    ap_id: `https://x.test/post/${i}`,
    submolt_id: `s-${i % 4}`,
    author_id: `a-${(i * 7) % 6}`,
    is_local: 1 as const,
    type: "text" as const,
    title: `post ${i}`,
    // Ties on purpose: the id decides between them.
    hot_rank: Math.floor(i / 3),
    deleted_at: i % 11 === 0 ? NOW : null,
    created_at: new Date(Date.parse(NOW) - Math.floor(i / 2) * 60_000).toISOString(),
    updated_at: NOW,
  }));
  await db.db.insertInto("posts").values(posts).execute();
  const link = (id: string) => ({
    id,
    ap_id: `https://x.test/${id}`,
    state: "accepted" as const,
    created_at: NOW,
    updated_at: NOW,
  });
  await db.db
    .insertInto("follows")
    .values([
      { ...link("f1"), follower_id: "a-0", followee_id: "a-1" },
      { ...link("f2"), follower_id: "a-0", followee_id: "a-4" },
    ])
    .execute();
  await db.db
    .insertInto("subscriptions")
    .values([{ ...link("u1"), agent_id: "a-0", submolt_id: "s-2" }])
    .execute();
}

describe.each(DIALECTS)("%s: personal feed", (dialect) => {
  it("pages exactly as the one-query path, by cursor and by offset", async () => {
    await using db = await createTestDb(dialect);
    await seed(db);
    for (const sort of ["hot", "new"] as const) {
      for (const followingOnly of [false, true]) {
        const base: FeedRequest & { sort: typeof sort } = {
          scope: { kind: "personal", agentId: "a-0", followingOnly },
          sort,
          t: "all",
          limit: 7,
          offset: 0,
          cursor: undefined,
          viewerId: "a-0",
          now: new Date(NOW),
        };
        const all = (await feedQuery(db.db, { ...base, limit: 1000 }).execute()).map((r) => r.id);
        expect(all.length).toBeGreaterThan(20);
        // Without a cache, then twice through one (read, then served from it).
        const cache = createReadCache({ ttlMs: 60_000 });
        for (const through of [undefined, cache, cache] as (ReadCache | undefined)[]) {
          const byCursor: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await listFeed(db.db, { ...base, cursor }, through);
            byCursor.push(...page.items.map((p) => p.id));
            cursor = page.nextCursor ?? undefined;
          } while (cursor !== undefined);
          expect(byCursor).toEqual(all);
          const atOffset = await listFeed(db.db, { ...base, offset: 10 }, through);
          expect(atOffset.items.map((p) => p.id)).toEqual(all.slice(10, 17));
        }
      }
    }
  });
});
