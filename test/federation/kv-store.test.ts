import { describe, expect, it } from "vitest";
import { KyselyKvStore } from "../../src/federation/stores/kysely-kv-store.ts";
import { toDuration } from "../../src/lib/temporal.ts";
import { createFixedClock } from "../harness/clock.ts";
import { createTestDb } from "../harness/db.ts";
import { DIALECTS } from "../harness/dialects.ts";

const ttl = (seconds: number) => ({ ttl: toDuration({ seconds }) });

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe.each(DIALECTS)("%s: KyselyKvStore", (dialect) => {
  it("stores, replaces and deletes JSON values by key", async () => {
    await using db = await createTestDb(dialect);
    const kv = new KyselyKvStore(db.db);
    expect(await kv.get(["a"])).toBeUndefined();
    await kv.set(["a", "b"], { n: 1, list: [1, "two", null], nested: { ok: true } });
    expect(await kv.get(["a", "b"])).toEqual({
      n: 1,
      list: [1, "two", null],
      nested: { ok: true },
    });
    await kv.set(["a", "b"], "replaced");
    expect(await kv.get(["a", "b"])).toBe("replaced");
    await kv.set(["n"], 0);
    expect(await kv.get(["n"])).toBe(0);
    await kv.delete(["a", "b"]);
    expect(await kv.get(["a", "b"])).toBeUndefined();
  });

  it("sets a value again after a delete or a swap, even one it had just read", async () => {
    await using db = await createTestDb(dialect);
    const kv = new KyselyKvStore(db.db);
    await kv.set(["spec", "https://far.example"], "rfc9421");
    expect(await kv.get(["spec", "https://far.example"])).toBe("rfc9421");
    await kv.set(["spec", "https://far.example"], "rfc9421");
    expect(await kv.get(["spec", "https://far.example"])).toBe("rfc9421");
    await kv.delete(["spec", "https://far.example"]);
    await kv.set(["spec", "https://far.example"], "rfc9421");
    expect(await kv.get(["spec", "https://far.example"])).toBe("rfc9421");
    expect(await kv.cas(["spec", "https://far.example"], "rfc9421", "draft")).toBe(true);
    await kv.set(["spec", "https://far.example"], "rfc9421");
    expect(await kv.get(["spec", "https://far.example"])).toBe("rfc9421");
  });

  it("hides entries once their TTL has passed", async () => {
    await using db = await createTestDb(dialect);
    const clock = createFixedClock();
    const kv = new KyselyKvStore(db.db, { clock });
    await kv.set(["k"], "v", ttl(60));
    clock.advance(59_000);
    expect(await kv.get(["k"])).toBe("v");
    clock.advance(1_000);
    expect(await kv.get(["k"])).toBeUndefined();
    expect(await collect(kv.list())).toEqual([]);
    expect(await kv.purgeExpired()).toBe(1);
  });

  it("compare-and-swap succeeds only against the current value", async () => {
    await using db = await createTestDb(dialect);
    const clock = createFixedClock();
    const kv = new KyselyKvStore(db.db, { clock });
    expect(await kv.cas(["c"], undefined, { v: 1, w: 2 })).toBe(true);
    expect(await kv.cas(["c"], undefined, { v: 9 })).toBe(false);
    expect(await kv.cas(["c"], { v: 0 }, { v: 9 })).toBe(false);
    // Equal values match whatever their key order.
    expect(await kv.cas(["c"], { w: 2, v: 1 }, { v: 3 }, ttl(10))).toBe(true);
    expect(await kv.get(["c"])).toEqual({ v: 3 });
    clock.advance(10_000);
    // An expired entry counts as absent.
    expect(await kv.cas(["c"], { v: 3 }, { v: 4 })).toBe(false);
    expect(await kv.cas(["c"], undefined, { v: 5 })).toBe(true);
    expect(await kv.get(["c"])).toEqual({ v: 5 });
  });

  it("concurrent compare-and-swaps from the same value: exactly one wins", async () => {
    await using db = await createTestDb(dialect);
    const kv = new KyselyKvStore(db.db);
    await using otherDb = await db.place.open();
    const other = new KyselyKvStore(otherDb.db);
    await kv.set(["counter"], 0);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? kv : other).cas(["counter"], 0, i + 1)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("lists the key itself and every longer key under a prefix, nothing else", async () => {
    await using db = await createTestDb(dialect);
    const kv = new KyselyKvStore(db.db);
    await kv.set(["p"], 0);
    await kv.set(["p", "x"], 1);
    await kv.set(["p", "x", "y"], 2);
    await kv.set(["p", "xy"], 3);
    await kv.set(["q", "x"], 4);
    await kv.set(["p%", "x"], 5);
    const under = async (prefix: readonly [string, ...string[]]) =>
      (await collect(kv.list(prefix)))
        .map((e): [unknown, number] => [e.key, e.value as number])
        .sort((a, b) => a[1] - b[1]);
    expect(await under(["p", "x"])).toEqual([
      [["p", "x"], 1],
      [["p", "x", "y"], 2],
    ]);
    expect((await under(["p"])).map(([, v]) => v).sort()).toEqual([0, 1, 2, 3]);
    expect(await collect(kv.list())).toHaveLength(6);
  });
});
