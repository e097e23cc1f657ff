import type { Db } from "./connect.ts";
import type { StopWatching, WatchedTable } from "./pg-notifications.ts";

export type InsertListener = (table: WatchedTable, payload: string) => void;

/**
 * The one LISTEN connection of a process, shared by whoever needs other processes' inserts
 * (workers, live pages): opened at the first subscriber, closed by close(). SQLite: nothing to
 * watch, subscribers are never called.
 */
export interface SharedInsertWatch {
  subscribe(listener: InsertListener): () => void;
  /** Resolves once what other processes committed before the call has reached the subscribers. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export function createSharedInsertWatch(
  db: Pick<Db, "watchInserts">,
  onError: (error: unknown) => void,
  onUnavailable: (error: unknown) => void,
): SharedInsertWatch {
  const listeners = new Set<InsertListener>();
  let started: Promise<StopWatching | undefined> | undefined;
  let closed = false;
  const dispatch: InsertListener = (table, payload) => {
    for (const listener of listeners) listener(table, payload);
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (started === undefined && !closed && db.watchInserts !== undefined) {
        started = db.watchInserts(dispatch, onError).catch((error: unknown) => {
          onUnavailable(error);
          return undefined;
        });
      }
      return () => listeners.delete(listener);
    },
    async sync() {
      await (await started)?.sync();
    },
    async close() {
      closed = true;
      listeners.clear();
      const stop = await started;
      await stop?.();
    },
  };
}
