import type { ReadCache } from "./read-cache.ts";

/** Thrown by a loader so that a miss is not cached (a failed read is not kept). */
const MISSING = Symbol("missing");

/**
 * `load`'s value through `cache` under `key` (a JSON-encoded tuple); undefined when `load` finds
 * nothing, which is not cached: what is written next shows at once.
 */
export async function cachedUnlessMissing<T>(
  cache: ReadCache,
  key: readonly unknown[],
  load: () => Promise<T | undefined>,
): Promise<T | undefined> {
  return cache
    .get(JSON.stringify(key), async () => {
      const value = await load();
      if (value === undefined) throw MISSING;
      return value;
    })
    .catch((error: unknown) => {
      if (error === MISSING) return undefined;
      throw error;
    });
}
