import type { Clock } from "../lib/clock.ts";
import type { DbHandle } from "../repos/database.ts";
import type { RemoteDirectory } from "./ports.ts";
import { createUrls, type Urls } from "./urls.ts";

/** What every service needs: the database, the time, and the instance's own URLs. */
export interface ServiceContext {
  readonly db: DbHandle;
  readonly clock: Clock;
  readonly origin: URL;
  readonly urls: Urls;
  /** Finds actors on other instances; absent where federation is not wired (unit tests). */
  readonly remote?: RemoteDirectory;
}

export function createServiceContext(
  db: DbHandle,
  clock: Clock,
  origin: URL,
  remote?: RemoteDirectory,
): ServiceContext {
  return {
    db,
    clock,
    origin,
    urls: createUrls(origin),
    ...(remote === undefined ? {} : { remote }),
  };
}
