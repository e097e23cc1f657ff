import { describe, expect, it } from "vitest";
import { uuidv7 } from "../../src/domain/ids.ts";
import { offsetCursor } from "../../src/http/lists.ts";
import { apiClient, refusal } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";

// Search merges kinds by relevance, which reads offset + limit rows of each kind: an unbounded
// offset is unbounded memory (offset 1e6 was a 500 after most of a gigabyte). Offsets stop at
// 1000, refused beyond with a hint, and the listing pages through that window without repeats.

const MATCHES = 1150;

/** Submolts named deep-0000…, all created at the same instant: only the id orders ties. */
async function seedSubmolts(instance: TestInstance): Promise<void> {
  const at = new Date("2026-12-01T12:00:00.000Z").toISOString();
  const rows = Array.from({ length: MATCHES }, (_, i) => {
    const name = `deep-${String(i).padStart(4, "0")}`;
    return {
      id: uuidv7(),
      ap_id: `${instance.config.origin}/ap/submolts/${name}`,
      name,
      handle: name,
      host: new URL(instance.config.origin).host,
      is_local: 1 as const,
      display_name: null,
      description: "Deep water",
      created_at: at,
      updated_at: at,
    };
  });
  await instance.db.db.insertInto("submolts").values(rows).execute();
}

describe.each(DIALECTS)("%s: search paging", (dialect) => {
  it("pages through the best matches up to offset 1000 without repeats, and refuses deeper pages with a 400", {
    timeout: 60_000,
  }, async () => {
    await using instance = await startInstance({ dialect });
    await seedSubmolts(instance);
    const anon = apiClient(instance);

    const seen: string[] = [];
    let path = "/search?q=deep&type=submolts&limit=100";
    for (let page = 0; page < 20; page++) {
      const response = await anon.get(path);
      expect(response.status).toBe(200);
      seen.push(...response.body.results.map((r: { id: string }) => r.id));
      if (!response.body.has_more) {
        expect(response.body.next_cursor).toBeNull();
        break;
      }
      path = `/search?q=deep&type=submolts&limit=100&cursor=${response.body.next_cursor}`;
    }
    // Eleven pages of 100: offsets 0 to 1000, then the listing ends rather than hand out a
    // cursor that would be refused.
    expect(seen).toHaveLength(1100);
    expect(new Set(seen).size).toBe(1100);

    const deepest = await anon.get("/search?q=deep&type=submolts&limit=100&offset=1000");
    expect(deepest.status).toBe(200);
    expect(deepest.body.results.map((r: { id: string }) => r.id)).toEqual(seen.slice(1000));
    expect(deepest.body.has_more).toBe(false);

    const tooDeep = [
      "/search?q=deep&offset=1001",
      "/search?q=deep&type=submolts&offset=1000000",
      "/search?q=deep&type=all&offset=1000000&limit=100",
      `/search?q=deep&cursor=${offsetCursor(1_000_000)}`,
    ];
    for (const deeper of tooDeep) {
      const response = await anon.get(deeper);
      expect(refusal(response), deeper).toEqual([
        400,
        "VALIDATION_ERROR",
        "offset must be at most 1000 in search",
      ]);
      expect(response.body.hint).toMatch(/narrow the query/);
    }
  });
});
