import type { Clock } from "../lib/clock.ts";
import type { DbHandle } from "../repos/database.ts";
import { createUrls, type Urls } from "./urls.ts";

/** What every service needs: the database, the time, and the instance's own URLs. */
export interface ServiceContext {
  readonly db: DbHandle;
  readonly clock: Clock;
  readonly origin: URL;
  readonly urls: Urls;
}

export function createServiceContext(db: DbHandle, clock: Clock, origin: URL): ServiceContext {
  return { db, clock, origin, urls: createUrls(origin) };
}
