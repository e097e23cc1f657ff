import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connect.ts";
import { type FeedRequest, type FeedScope, feedQuery } from "../../src/views/feed.ts";
import { createTestDb } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { queryPlan } from "../harness/plans.ts";

// The feeds people read most must walk an index in order, not scan and sort every post.

function request(scope: FeedScope): FeedRequest & { sort: "hot" } {
  return {
    scope,
    sort: "hot",
    t: "all",
    limit: 25,
    offset: 0,
    cursor: undefined,
    viewerId: "viewer",
    now: new Date(),
  };
}

async function plan(db: Db, scope: FeedScope): Promise<string> {
  return queryPlan(db, feedQuery(db.db, request(scope)).compile());
}

describe.each(DIALECTS)("%s: feed query plans", (dialect) => {
  it("reads the hot feed in hot_rank index order", async () => {
    await using db = await createTestDb(dialect);
    const text = await plan(db, { kind: "all" });
    expect(text).toContain("posts_hot_rank_idx");
    if (dialect === "sqlite") expect(text).not.toContain("TEMP B-TREE FOR ORDER BY");
    else expect(text).not.toMatch(/\bSort\b/);
  });

  it("reads a submolt's hot feed through its (submolt, hot_rank) index", async () => {
    await using db = await createTestDb(dialect);
    const text = await plan(db, { kind: "submolt", submoltId: "s" });
    expect(text).toContain("posts_submolt_id_hot_rank_idx");
    if (dialect === "sqlite") expect(text).not.toContain("TEMP B-TREE FOR ORDER BY");
    else expect(text).not.toMatch(/\bSort\b/);
  });

  it("reads the personal feed through indexes only: no full scan of posts", async () => {
    await using db = await createTestDb(dialect);
    const text = await plan(db, { kind: "personal", agentId: "a", followingOnly: false });
    expect(text).toMatch(/follows_follower_id_followee_id_key/);
    expect(text).toMatch(/subscriptions_agent_id_submolt_id_key/);
    // SQLite: "SCAN posts" without "USING INDEX"; PostgreSQL: a Seq Scan on posts.
    expect(text).not.toMatch(/^SCAN posts$/m);
    expect(text).not.toMatch(/Seq Scan on posts/);
    // NOTE: which index orders the page depends on the data (SQLite may seek each followed
    // author and subscribed submolt, then sort that union); both avoid reading all posts.
  });
});
