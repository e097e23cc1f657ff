import { describe, expect, it } from "vitest";
import type { FeedPage } from "./feed.ts";
import { createReadCache } from "./read-cache.ts";

const pageOf = (n: number) => ({ items: [], hasMore: false, nextCursor: String(n) }) as FeedPage;

describe("createReadCache", () => {
  it("reuses a page within the time to live, and shares a read in flight", async () => {
    let time = 0;
    const cache = createReadCache({ ttlMs: 1000, now: () => time });
    let reads = 0;
    const load = async () => pageOf(++reads);
    const [a, b] = await Promise.all([cache.get("k", load), cache.get("k", load)]);
    expect(a).toBe(b);
    time = 999;
    expect(await cache.get("k", load)).toBe(a);
    expect((await cache.get("other", load)).nextCursor).toBe("2");
    time = 1000;
    expect((await cache.get("k", load)).nextCursor).toBe("3");
  });

  it("drops every page on a write to a table listings read, not on others", async () => {
    const cache = createReadCache({ ttlMs: 60_000, now: () => 0 });
    let reads = 0;
    const load = async () => pageOf(++reads);
    await cache.get("k", load);
    cache.written("fedify_queue");
    cache.written("notifications");
    cache.written("outbox_events");
    expect((await cache.get("k", load)).nextCursor).toBe("1");
    for (const table of [
      "posts",
      "comments",
      "votes",
      "agents",
      "submolts",
      "follows",
      undefined,
    ]) {
      cache.written(table);
      await cache.get("k", load);
    }
    expect(reads).toBe(8);
  });

  it("does not keep a page whose read a write overtook, nor a failed read", async () => {
    const cache = createReadCache({ ttlMs: 60_000, now: () => 0 });
    let release = () => {};
    const slow = new Promise<FeedPage>((resolve) => {
      release = () => resolve(pageOf(1));
    });
    const reading = cache.get("k", () => slow);
    cache.written("posts");
    release();
    await reading;
    expect((await cache.get("k", async () => pageOf(2))).nextCursor).toBe("2");
    await expect(cache.get("x", async () => Promise.reject(new Error("no")))).rejects.toThrow();
    expect((await cache.get("x", async () => pageOf(3))).nextCursor).toBe("3");
  });

  it("reads the keys not cached together, and caches what the read left out as undefined", async () => {
    const cache = createReadCache({ ttlMs: 60_000, now: () => 0 });
    const asked: string[][] = [];
    const load = async (missing: string[]) => {
      asked.push(missing);
      return new Map(missing.filter((k) => k !== "gone").map((k) => [k, { k }]));
    };
    const first = await cache.getMany(["a", "b", "gone"], load);
    expect(first.get("a")).toEqual({ k: "a" });
    expect(first.get("gone")).toBeUndefined();
    expect(Object.isFrozen(first.get("b"))).toBe(true);
    const second = await cache.getMany(["b", "c", "gone"], load);
    expect(asked).toEqual([["a", "b", "gone"], ["c"]]);
    expect(second.get("b")).toBe(first.get("b"));
    cache.written("posts");
    await cache.getMany(["a"], load);
    expect(asked.at(-1)).toEqual(["a"]);
  });
});
