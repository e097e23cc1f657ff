/** The tables the cached reads read: a write to any other leaves cached pages as they are. */
const READ_TABLES = new Set([
  "posts",
  "comments",
  "agents",
  "submolts",
  "votes",
  "instance_blocks", // what the visibility predicate hides
  "actor_blocks",
  // What a personal feed page reads besides.
  "follows",
  "subscriptions",
  "boosts",
]);

/**
 * A short-lived, per-process cache of what every viewer is shown alike: listing pages and
 * threads as an anonymous viewer sees them (the front page and popular threads are most of what
 * agents read). A page is reused for at most `ttlMs`, and every write made in this process to a
 * table these reads read drops every page at once (see WriteSignal), so this process's own
 * writes show at once. Other processes' writes (another web process, an operator command) drop
 * them too: on SQLite checked before every read (`changedElsewhere`), on PostgreSQL when their
 * notification arrives (`written`, from app.ts). Viewers' own votes are never cached
 * (views/feed.ts and views/threads.ts add them per request).
 */
export interface ReadCache {
  /** The cached value for `key`, or the one `load` reads (shared by requests that come meanwhile). */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /**
   * The cached values for `keys`; those not cached (or stale) are read together by `loadMissing`
   * (a key it leaves out is cached as undefined).
   */
  getMany<T>(
    keys: readonly string[],
    loadMissing: (missing: string[]) => Promise<ReadonlyMap<string, T>>,
  ): Promise<Map<string, T | undefined>>;
  /** A statement wrote to `table` (undefined: unknown). */
  written(table: string | undefined): void;
  clear(): void;
}

interface Entry {
  readonly at: number;
  readonly page: Promise<unknown>;
}

export function createReadCache(options: {
  readonly ttlMs: number;
  readonly maxEntries?: number;
  /** Asked before every read: true drops every page (another process wrote; see Db). */
  readonly changedElsewhere?: () => boolean;
  /** Monotonic milliseconds (real time even under a test clock: freshness is about real time). */
  readonly now?: () => number;
}): ReadCache {
  const now = options.now ?? (() => performance.now());
  // Listing pages, threads, and the personal feed's per-source lists and posts: a few MB at most.
  const maxEntries = options.maxEntries ?? 5000;
  const entries = new Map<string, Entry>();
  const clear = () => entries.clear();
  const dropIfChangedElsewhere = () => {
    if (options.changedElsewhere?.() === true) clear();
  };
  const fresh = (key: string): Promise<unknown> | undefined => {
    const hit = entries.get(key);
    return hit !== undefined && now() - hit.at < options.ttlMs ? hit.page : undefined;
  };
  const remember = (key: string, page: Promise<unknown>) => {
    const entry = { at: now(), page };
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value ?? "");
    entries.set(key, entry);
    // A failed read is not kept; nor is one a write overtook (clear() removed it already).
    page.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
  };
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      dropIfChangedElsewhere();
      const hit = fresh(key);
      if (hit !== undefined) return hit as Promise<T>;
      if (options.ttlMs <= 0) return load();
      // Frozen: every request shares these objects (and the HTTP layer may reuse their encoding).
      const page = load().then(deepFreeze);
      remember(key, page);
      return page;
    },
    async getMany<T>(
      keys: readonly string[],
      loadMissing: (missing: string[]) => Promise<ReadonlyMap<string, T>>,
    ): Promise<Map<string, T | undefined>> {
      dropIfChangedElsewhere();
      const pages = new Map<string, Promise<unknown>>();
      const missing: string[] = [];
      for (const key of keys) {
        const hit = fresh(key);
        if (hit === undefined) missing.push(key);
        else pages.set(key, hit);
      }
      if (missing.length > 0) {
        const loading = loadMissing(missing).then((found) => {
          for (const value of found.values()) deepFreeze(value);
          return found;
        });
        for (const key of missing) {
          const page = loading.then((found) => found.get(key));
          if (options.ttlMs > 0) remember(key, page);
          pages.set(key, page);
        }
      }
      const values = await Promise.all(keys.map((key) => pages.get(key)));
      return new Map(keys.map((key, i) => [key, values[i] as T | undefined]));
    },
    written(table) {
      if (table === undefined || READ_TABLES.has(table)) clear();
    },
    clear,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
