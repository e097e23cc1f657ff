import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import { canonicalJson } from "../../lib/canonical-json.ts";
import { type Clock, systemClock } from "../../lib/clock.ts";
import { durationToMs } from "../../lib/temporal.ts";

/**
 * Fedify's KvStore on our own database (SQLite or PostgreSQL), so that cached keys, idempotence
 * records and circuit-breaker state are shared by every process of an instance.
 */
/** How long a value read stays known to this process, to skip setting it again unchanged. */
const RECENT_READ_MS = 5000;
const MAX_RECENT_READS = 1000;

export class KyselyKvStore implements KvStore {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;
  /** Values without expiry that get() just read, by encoded key (see set). */
  readonly #recentReads = new Map<string, { readonly value: string; readonly at: number }>();

  constructor(db: Kysely<Database>, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    // Three of these a delivery (circuit state twice, signature spec): a template is cheaper
    // than the query builder.
    const encoded = encodeKey(key);
    const { rows } = await sql<{ value: string; expires_at: string | null }>`
      select value, expires_at from fedify_kv where ${sql.ref("key")} = ${encoded}`.execute(
      this.#db,
    );
    const row = rows[0];
    if (row === undefined || this.#isExpired(row.expires_at)) return undefined;
    if (row.expires_at === null) this.#rememberRead(encoded, row.value);
    return JSON.parse(row.value) as T;
  }

  #rememberRead(key: string, value: string): void {
    this.#recentReads.delete(key);
    if (this.#recentReads.size >= MAX_RECENT_READS) {
      this.#recentReads.delete(this.#recentReads.keys().next().value ?? "");
    }
    this.#recentReads.set(key, { value, at: performance.now() });
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const row = {
      key: encodeKey(key),
      value: canonicalJson(value),
      expires_at: this.#expiry(options),
    };
    // Fedify sets the same value again and again (the signature spec after every delivery,
    // which it read just before): a value this process read moments ago is not written again,
    // and an unchanged row is left as it is, which saves SQLite a page write and commit.
    const read = this.#recentReads.get(row.key);
    if (
      row.expires_at === null &&
      read?.value === row.value &&
      performance.now() - read.at < RECENT_READ_MS
    ) {
      return;
    }
    this.#recentReads.delete(row.key);
    await this.#db
      .insertInto("fedify_kv")
      .values(row)
      .onConflict((oc) =>
        oc
          .column("key")
          .doUpdateSet({ value: row.value, expires_at: row.expires_at })
          .where((eb) =>
            eb.or([
              eb("fedify_kv.value", "!=", row.value),
              eb("fedify_kv.expires_at", "is distinct from", row.expires_at),
            ]),
          ),
      )
      .execute();
  }

  async delete(key: KvKey): Promise<void> {
    this.#recentReads.delete(encodeKey(key));
    await this.#db.deleteFrom("fedify_kv").where("key", "=", encodeKey(key)).execute();
  }

  /** Atomic in one statement, so it holds across processes without a transaction. */
  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    const now = this.#now();
    this.#recentReads.delete(encodeKey(key));
    const row = {
      key: encodeKey(key),
      value: canonicalJson(newValue),
      expires_at: this.#expiry(options),
    };
    if (expectedValue === undefined) {
      // Absent or expired counts as undefined.
      const result = await this.#db
        .insertInto("fedify_kv")
        .values(row)
        .onConflict((oc) =>
          oc
            .column("key")
            .doUpdateSet({ value: row.value, expires_at: row.expires_at })
            .where("fedify_kv.expires_at", "is not", null)
            .where("fedify_kv.expires_at", "<=", now),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    }
    const result = await this.#db
      .updateTable("fedify_kv")
      .set({ value: row.value, expires_at: row.expires_at })
      .where("key", "=", row.key)
      .where("value", "=", canonicalJson(expectedValue))
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    let query = this.#db
      .selectFrom("fedify_kv")
      .select(["key", "value"])
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", this.#now())]))
      .orderBy("key");
    if (prefix !== undefined) {
      const exact = encodeKey(prefix);
      // '["a","b"' followed by ',' starts every longer key with the same leading parts.
      const stem = `${exact.slice(0, -1)},`;
      query = query.where((eb) =>
        eb.or([eb("key", "=", exact), eb(sql`substr(key, 1, ${stem.length})`, "=", stem)]),
      );
    }
    for (const row of await query.execute()) {
      yield { key: JSON.parse(row.key) as KvKey, value: JSON.parse(row.value) };
    }
  }

  /** Removes expired entries; expired entries are already invisible, this only reclaims space. */
  async purgeExpired(): Promise<number> {
    const result = await this.#db
      .deleteFrom("fedify_kv")
      .where("expires_at", "<=", this.#now())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  #now(): string {
    return this.#clock.now().toISOString();
  }

  #expiry(options: KvStoreSetOptions | undefined): string | null {
    if (options?.ttl === undefined) return null;
    return new Date(this.#clock.now().getTime() + durationToMs(options.ttl)).toISOString();
  }

  #isExpired(expiresAt: string | null): boolean {
    return expiresAt !== null && expiresAt <= this.#now();
  }
}

function encodeKey(key: KvKey): string {
  return JSON.stringify(key);
}
