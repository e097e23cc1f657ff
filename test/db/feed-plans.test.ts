import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connect.ts";
import { type FeedRequest, type FeedScope, feedQuery } from "../../src/views/feed.ts";
import { createTestDb } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";

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
  const compiled = feedQuery(db.db, request(scope)).compile();
  if (db.dialect === "sqlite") {
    const { rows } = await db.db.executeQuery<{ detail: string }>({
      ...compiled,
      sql: `explain query plan ${compiled.sql}`,
    } as never);
    return rows.map((r) => r.detail).join("\n");
  }
  // Small test tables make a sequential scan look cheap; ask the planner what it does when a
  // table is large enough that scanning is not an option.
  return db.db.connection().execute(async (conn) => {
    await sql`set enable_seqscan = off`.execute(conn);
    const { rows } = await conn.executeQuery<{ "QUERY PLAN": string }>({
      ...compiled,
      sql: `explain ${compiled.sql}`,
    } as never);
    await sql`reset enable_seqscan`.execute(conn);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  });
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
