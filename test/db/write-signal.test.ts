import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTestDb } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";

// Read caches drop what a write in this process may have changed: the database reports every
// write made through it, with the table it wrote, once the statement has run.

describe.each(DIALECTS)("%s: write signal", (dialect) => {
  it("reports inserts, updates, deletes and raw writes with their table, and no reads", async () => {
    await using db = await createTestDb(dialect);
    const seen: (string | undefined)[] = [];
    const stop = db.writes.subscribe((table) => seen.push(table));
    const now = new Date().toISOString();
    const row = { id: "e1", event_type: "t", payload: "{}", available_at: now, created_at: now };
    await db.db.insertInto("outbox_events").values(row).execute();
    expect(seen).toEqual(["outbox_events"]); // reported once the statement has run
    await db.db.selectFrom("outbox_events").selectAll().execute();
    await db.db
      .updateTable("outbox_events as e")
      .set({ attempts: 1 })
      .where("e.id", "=", "e1")
      .execute();
    await db.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("outbox_events").where("id", "=", "e1").execute();
    });
    await sql`update fedify_kv set value = ${"x"} where key = ${"k"}`.execute(db.db);
    await sql`select 1`.execute(db.db);
    expect(seen).toEqual(["outbox_events", "outbox_events", "outbox_events", "fedify_kv"]);
    stop();
    await db.db.insertInto("outbox_events").values(row).execute();
    expect(seen).toHaveLength(4);
  });
});
