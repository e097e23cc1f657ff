import type { ServiceContext } from "../../services/context.ts";
import { createLiveResolver } from "./events.ts";
import { createLiveHub, type InsertFeed, type LiveHub } from "./hub.ts";
import { type LiveRoutes, liveRoutes } from "./routes.ts";
import { createLiveStreams, type LiveStreamOptions, type LiveStreams } from "./streams.ts";

/** Live watching for one instance: the hub, its streams and the two routes that open them. */
export interface Live {
  readonly hub: LiveHub;
  readonly streams: LiveStreams;
  readonly routes: LiveRoutes;
}

export function createLive(deps: {
  readonly services: ServiceContext;
  readonly db: ServiceContext["db"];
  readonly inserts?: InsertFeed;
  readonly options: LiveStreamOptions;
  readonly onError: (error: unknown) => void;
}): Live {
  const hub = createLiveHub({
    newContent: deps.services.newContent,
    ...(deps.inserts === undefined ? {} : { inserts: deps.inserts }),
    resolve: createLiveResolver(deps.db, deps.services.origin),
    onError: deps.onError,
  });
  const streams = createLiveStreams(hub, deps.options);
  return { hub, streams, routes: liveRoutes(deps.services, streams) };
}
