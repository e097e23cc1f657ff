import { describe, expect, it } from "vitest";
import { compiledRead } from "../../src/db/compiled-read.ts";
import { createTestDb } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";

// Reads run on every request are compiled once and run with each call's values; a list is one
// parameter whatever its length, so the statement's text never changes.

const byIds = compiledRead(["kind", "ids"], (db, { values, inList }) =>
  db
    .selectFrom("outbox_events")
    .select("id")
    .where(inList("id", "ids"))
    .where("event_type", "=", values.kind)
    .orderBy("id"),
);

describe.each(DIALECTS)("%s: compiled reads", (dialect) => {
  it("runs one statement with each call's values and lists of any length", async () => {
    await using db = await createTestDb(dialect);
    const now = new Date().toISOString();
    const row = (id: string, event_type: string) => ({
      id,
      event_type,
      payload: "{}",
      available_at: now,
      created_at: now,
    });
    await db.db
      .insertInto("outbox_events")
      .values([row("a", "post"), row("b", "post"), row("c", "vote"), row("it's", "post")])
      .execute();
    const ids = async (kind: string, list: string[]) =>
      (await byIds(db.db, { kind, ids: list })).map((r) => r.id);
    expect(await ids("post", ["a", "b", "c"])).toEqual(["a", "b"]);
    expect(await ids("vote", ["a", "b", "c"])).toEqual(["c"]);
    expect(await ids("post", [])).toEqual([]);
    expect(await ids("post", ["it's", "missing"])).toEqual(["it's"]);
    await db.db.transaction().execute(async (trx) => {
      expect((await byIds(trx, { kind: "post", ids: ["b"] })).map((r) => r.id)).toEqual(["b"]);
    });
  });
});
