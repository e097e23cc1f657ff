import type pg from "pg";

/** The tables whose new rows wake workers (see migrations/20261201T200000_wake_workers.ts). */
export const WAKE_TABLES = ["outbox_events", "fedify_queue"] as const;
/**
 * The tables whose new rows live pages follow, notified with their ids (see
 * migrations/20261205T220000_l_live_content_notify.ts).
 */
export const CONTENT_TABLES = ["posts", "comments"] as const;
/**
 * Not a table: what the shared reads show changed, notified with the table's name (see
 * migrations/20261206T060000_w_reads_changed_notify.ts).
 */
export const READS_CHANGED = "changed";
export const WATCHED_TABLES = [...WAKE_TABLES, ...CONTENT_TABLES, READS_CHANGED] as const;
export type WatchedTable = (typeof WATCHED_TABLES)[number];

/** Stops watching; `sync()` resolves once every notification committed before it was dispatched. */
export type StopWatching = (() => Promise<void>) & { sync(): Promise<void> };

/**
 * LISTENs, on a connection of its own, for the notifications the insert triggers send, and calls
 * `onInsert` for each with its payload (the new ids, for posts and comments), also once per
 * worker table on every (re)connect, for what was inserted meanwhile. A lost connection is
 * reopened after a second, until stopped.
 */
export async function watchInserts(
  config: pg.ClientConfig,
  schema: string,
  onInsert: (table: WatchedTable, payload: string) => void,
  onError: (error: unknown) => void,
): Promise<StopWatching> {
  const { default: pg } = await import("pg");
  const channels = new Map(WATCHED_TABLES.map((table) => [`${schema}.${table}`, table]));
  let client: pg.Client | undefined;
  let stopped = false;
  const syncs = new Map<string, () => void>();
  const connect = async (): Promise<void> => {
    const next = new pg.Client(config);
    next.on("notification", ({ channel, payload }) => {
      const table = channels.get(channel);
      const sync = payload === undefined ? undefined : syncs.get(payload);
      if (sync !== undefined) sync();
      else if (table !== undefined) onInsert(table, payload ?? "");
    });
    next.on("error", (error) => {
      onError(error);
      void next.end().catch(() => {});
      if (!stopped) setTimeout(() => void connect().catch(onError), 1000);
    });
    await next.connect();
    for (const channel of channels.keys()) await next.query(`LISTEN "${channel}"`);
    client = next;
    for (const table of WAKE_TABLES) onInsert(table, "");
  };
  await connect();
  const stop = async () => {
    stopped = true;
    await client?.end();
  };
  // Notifications arrive in commit order: once one this connection sends itself arrives, so has
  // every notification committed before it was sent.
  const sync = async () => {
    if (client === undefined) return;
    const token = `sync:${crypto.randomUUID()}`;
    const arrived = new Promise<void>((resolve) => syncs.set(token, resolve));
    await client.query("select pg_notify($1, $2)", [`${schema}.${READS_CHANGED}`, token]);
    await arrived;
    syncs.delete(token);
  };
  return Object.assign(stop, { sync });
}
