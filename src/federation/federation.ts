import {
  createFederation,
  type Federation,
  type FederationOptions,
  type KvStore,
  kvCache,
  type MessageQueue,
} from "@fedify/fedify";
import type { Clock } from "../lib/clock.ts";
import type { SecretBox } from "../lib/secret-box.ts";
import { SOFTWARE_NAME, SOFTWARE_VERSION } from "../lib/version.ts";
import type { DbHandle } from "../repos/database.ts";
import type { InstanceStats } from "../views/instance-stats.ts";
import { registerActors } from "./actors.ts";
import { registerCollections } from "./collections.ts";
import { createActorKeyStore } from "./keys.ts";
import { registerObjects } from "./objects.ts";
import { createGuardedLoader, type FetchGuard, signAs } from "./remote-fetch.ts";

export interface FederationDeps {
  readonly origin: URL;
  readonly kv: KvStore;
  /** Undefined: Fedify delivers inline and handles inbox POSTs in the request (tests). */
  readonly queue: MessageQueue | undefined;
  /** Every fetch Fedify makes for us goes through this (addresses, blocks, size and time caps). */
  readonly fetchGuard: FetchGuard;
  readonly stats: () => Promise<InstanceStats>;
  readonly db: DbHandle;
  readonly clock: Clock;
  /** Seals actors' private keys at rest. */
  readonly keyBox: SecretBox;
  readonly instanceName: string;
  /** Retry and circuit-breaker policy for outbound deliveries (see delivery.ts). */
  readonly delivery?: Pick<FederationOptions<void>, "outboxRetryPolicy" | "circuitBreaker">;
}

/** This instance's Fedify federation: stores, origin, and the dispatchers registered so far. */
export function createInstanceFederation(deps: FederationDeps): Federation<void> {
  const federation = createFederation<void>({
    kv: deps.kv,
    ...(deps.queue === undefined ? {} : { queue: deps.queue }),
    // The queue starts with the instance's workers, not lazily on the first enqueue, so a
    // backlog left by a previous run is delivered as soon as the instance is up.
    manuallyStartQueue: true,
    origin: deps.origin.origin,
    // NOTE: with loaders of our own, Fedify's allowPrivateAddress and userAgent options must stay
    // unset (it refuses the combination); the guard carries both.
    documentLoaderFactory: () =>
      kvCache({ loader: createGuardedLoader(deps.fetchGuard), kv: deps.kv, kind: "object" }),
    contextLoaderFactory: () =>
      kvCache({ loader: createGuardedLoader(deps.fetchGuard), kv: deps.kv, kind: "context" }),
    authenticatedDocumentLoaderFactory: (identity) =>
      createGuardedLoader(deps.fetchGuard, signAs(identity)),
    ...deps.delivery,
  });
  const keys = createActorKeyStore({ db: deps.db, box: deps.keyBox, clock: deps.clock });
  registerActors(federation, { db: deps.db, keys, instanceName: deps.instanceName });
  registerCollections(federation, { db: deps.db });
  registerObjects(federation, { db: deps.db });
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async () => {
    const stats = await deps.stats();
    return {
      software: {
        name: SOFTWARE_NAME,
        version: SOFTWARE_VERSION,
        homepage: new URL("/", deps.origin),
      },
      protocols: ["activitypub"],
      openRegistrations: true,
      usage: {
        users: { total: stats.localAgents },
        localPosts: stats.localPosts,
        localComments: stats.localComments,
      },
    };
  });
  return federation;
}
