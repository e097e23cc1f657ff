import { join } from "node:path";
import type { Federation } from "@fedify/fedify";
import { sql } from "kysely";
import type { Config } from "./config/config.ts";
import { changeCheck, createDb, type Db } from "./db/connect.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { READS_CHANGED } from "./db/pg-notifications.ts";
import { createSharedInsertWatch, type SharedInsertWatch } from "./db/shared-insert-watch.ts";
import { createClaimTokens } from "./domain/credentials.ts";
import { createRecoveryTokens } from "./domain/recovery.ts";
import {
  deliveryOptions,
  forgetCircuitHold,
  registerDeliveryFailures,
} from "./federation/delivery.ts";
import { withGuardedDeliveries } from "./federation/delivery-guard.ts";
import { createRemoteDirectory } from "./federation/directory.ts";
import { createInstanceFederation } from "./federation/federation.ts";
import { registerInbox } from "./federation/inbox/index.ts";
import { cacheJwkImports } from "./federation/key-import-cache.ts";
import { createPublisher } from "./federation/outbox/publisher.ts";
import { withBlockedDeliveriesHeld } from "./federation/refusals.ts";
import { createFetchGuard } from "./federation/remote-fetch.ts";
import { KyselyKvStore } from "./federation/stores/kysely-kv-store.ts";
import {
  KyselyMessageQueue,
  type KyselyMessageQueueOptions,
} from "./federation/stores/kysely-message-queue.ts";
import { createQueueAdmin, type QueueAdmin } from "./federation/stores/queue-admin.ts";
import { createHttpApp } from "./http/app.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { errorDetails } from "./lib/error-details.ts";
import { appLogger } from "./lib/logger.ts";
import { createMediaStore } from "./lib/media-store.ts";
import { createSecretBox } from "./lib/secret-box.ts";
import { createBlockListCache } from "./repos/blocks.ts";
import { backfillHazards } from "./repos/hazard-backfill.ts";
import { createServiceContext, READ_CACHE_MS } from "./services/context.ts";
import { createOperatorControls, type OperatorControls } from "./services/moderation.ts";
import { ensureDefaultSubmolts } from "./services/submolts.ts";
import { getInstanceStats } from "./views/instance-stats.ts";
import { createReadCache } from "./views/read-cache.ts";
import { createLive, type Live } from "./web/live/live.ts";
import { createOutboxWorker, type OutboxWorker } from "./worker/outbox-worker.ts";

const logger = appLogger("app");

/** Test seams: anything here replaces the real part createApp would build. */
export interface AppOverrides {
  readonly db?: Db;
  readonly clock?: Clock;
  readonly queue?: Omit<KyselyMessageQueueOptions, "box" | "clock">;
}

export interface App {
  readonly config: Config;
  readonly db: Db;
  readonly federation: Federation<void>;
  readonly queue: KyselyMessageQueue | undefined;
  /** The delivery queue as operators see it: status, dead letters. */
  readonly deliveries: QueueAdmin;
  /** Blocks (instances, actors) and suspensions of local agents, as the operator CLI sets them. */
  readonly operator: OperatorControls;
  /** Publishes outbox events as activities (tests call processAll to settle federation). */
  readonly outbox: OutboxWorker;
  /** Live pages' streams of new posts and comments (Server-Sent Events). */
  readonly live: Live;
  /** The whole instance as a fetch handler (ActivityPub and client API); `env` is the server's. */
  fetch(request: Request, env?: unknown): Promise<Response>;
  /**
   * Resolves once what other processes committed before the call shows in this one's shared
   * pages. SQLite: at once (every read checks). PostgreSQL: once their notifications arrived,
   * which they do within milliseconds of the commit anyway.
   */
  catchUpWithOtherProcesses(): Promise<void>;
  /** Starts the background workers (outbox publisher, delivery queue); stopped by close(). */
  startWorkers(): void;
  /**
   * Ends every live stream, so that a stopping server's open requests can finish; new streams
   * are refused from then on. close() does it too.
   */
  endStreams(): void;
  /** Stops workers (letting in-flight work finish) and closes the database. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * On PostgreSQL, workers start on what other processes write (LISTEN/NOTIFY) instead of at their
 * next poll; until `signal` aborts.
 */
async function wakeOnInserts(
  watch: SharedInsertWatch,
  workers: { outbox: OutboxWorker; queue: KyselyMessageQueue | undefined },
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  const unsubscribe = watch.subscribe((table) => {
    if (table === "outbox_events") workers.outbox.wake();
    else if (table === "fedify_queue") workers.queue?.wake();
  });
  await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  unsubscribe();
}

/** Whether a write to `table` (undefined: unknown) may have changed the operator's blocks. */
function isBlockTable(table: string | undefined): boolean {
  return table === undefined || table === "instance_blocks" || table === "actor_blocks";
}

/** Requests that change nothing, so cannot have appended outbox events. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a handled queue message may have appended outbox events: inbox activities do (a
 * submolt relays what arrives), outbound deliveries do not.
 */
function mayHaveAppendedEvents(message: unknown): boolean {
  return (message as { type?: unknown } | null)?.type !== "outbox";
}

/** Builds one instance. Nothing here reads the environment or listens on a socket. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  cacheJwkImports();
  const clock = overrides.clock ?? systemClock;
  const db = overrides.db ?? (await createDb(config.db));
  if (config.migrateOnBoot) {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info("Applied migrations: {applied}", { applied });
  }
  const { delivery } = config.federation;
  const queueBox = createSecretBox(config.secretKey, "fedify-queue");
  const queue =
    config.federation.queue === "db"
      ? new KyselyMessageQueue(db.db, db.dialect, {
          workers: config.federation.queueWorkers,
          workersPerHost: delivery.workersPerHost,
          visibilityTimeoutMs: delivery.leaseMs,
          retry: delivery.retry,
          ...overrides.queue,
          box: queueBox,
          clock,
          onHandled: (message) => {
            if (mayHaveAppendedEvents(message)) afterWrites();
          },
        })
      : undefined;
  // Every delivery checks its host and inbox against the operator's blocks.
  const blocks = createBlockListCache(db.db, changeCheck(db));
  const fetchGuard = createFetchGuard({
    origin: config.origin,
    db: db.db,
    isBlocked: (url) => blocks.isUrlBlocked(url),
    allowPrivateAddress: config.federation.allowPrivateAddress,
    limits: config.federation.fetch,
  });
  const federation = createInstanceFederation({
    origin: config.origin,
    kv: new KyselyKvStore(db.db, { clock }),
    queue:
      queue === undefined
        ? undefined
        : withGuardedDeliveries(
            withBlockedDeliveriesHeld(queue, (host) => blocks.isHostBlocked(host)),
            queue,
            fetchGuard,
          ),
    fetchGuard,
    stats: () => getInstanceStats(db.db),
    db: db.db,
    clock,
    keyBox: createSecretBox(config.secretKey, "actor-keys"),
    instanceName: config.instanceName,
    delivery: deliveryOptions(delivery, queue),
  });
  const directory = {
    federation,
    origin: config.origin,
    db: db.db,
    clock,
    fetchGuard,
  };
  const services = createServiceContext({
    db: db.db,
    dialect: db.dialect,
    clock,
    origin: config.origin,
    remote: createRemoteDirectory(directory),
    limits: config.limits,
    claimTokens: createClaimTokens(config.secretKey),
    recoveryTokens: createRecoveryTokens(config.secretKey),
    claimRequiredToPost: config.claimRequiredToPost,
    verification: {
      mode: config.verificationChallenges,
      box: createSecretBox(config.secretKey, "verification-answer"),
    },
    media: createMediaStore(join(config.dataDir, "media")),
    messageBox: createSecretBox(config.secretKey, "direct-messages"),
    readCache: createReadCache({ ttlMs: READ_CACHE_MS, changedElsewhere: changeCheck(db) }),
  });
  registerInbox(federation, { services, directory });
  registerDeliveryFailures(federation, {
    queue,
    services,
    fetchGuard,
  });
  const outbox = createOutboxWorker({
    db: db.db,
    clock,
    publish: createPublisher({
      federation,
      origin: config.origin,
      db: db.db,
      clock,
      fetchGuard,
      messageBox: services.messageBox,
    }),
    leaseMs: delivery.leaseMs,
  });
  // Pages this process shares between viewers (listings, threads) go stale with any write it
  // makes (at once, from inside the write's transaction) and again once the request or queue
  // message that wrote is done, for readers that read between a PostgreSQL statement and its
  // commit.
  const unsubscribe = db.writes.subscribe((table) => {
    services.readCache.written(table);
    if (isBlockTable(table)) blocks.invalidate();
  });
  const afterWrites = () => {
    services.readCache.clear();
    outbox.wake();
  };
  await ensureDefaultSubmolts(services);
  // One LISTEN connection per process (PostgreSQL), shared by the workers and the live pages.
  const inserts = createSharedInsertWatch(
    db,
    (error) =>
      logger.warning("Lost the database notifications; reconnecting: {error}", {
        error: errorDetails(error),
      }),
    (error) =>
      logger.warning("No database notifications, polling only: {error}", {
        error: errorDetails(error),
      }),
  );
  // PostgreSQL: what other processes change in what the shared pages show drops them at once.
  const unwatchChanges = inserts.subscribe((table, changed) => {
    if (table !== READS_CHANGED) return;
    services.readCache.written(changed);
    if (isBlockTable(changed)) blocks.invalidate();
  });
  const live = createLive({
    services,
    db: db.db,
    inserts: inserts.subscribe,
    options: config.live,
    onError: (error) =>
      logger.warning("A live event could not be read: {error}", { error: errorDetails(error) }),
  });
  const http = createHttpApp({
    origin: config.origin,
    federation,
    services,
    instanceName: config.instanceName,
    live: live.routes,
    checkDatabase: async () => {
      await sql`select 1`.execute(db.db);
    },
  });

  const workers = new AbortController();
  let running: Promise<unknown> | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    unsubscribe();
    unwatchChanges();
    live.streams.closeAll();
    workers.abort();
    await running;
    await inserts.close();
    await db.close();
  };
  return {
    config,
    db,
    federation,
    queue,
    deliveries: createQueueAdmin({
      db: db.db,
      box: queueBox,
      clock,
      prepareRetry: forgetCircuitHold,
    }),
    operator: createOperatorControls(services),
    outbox,
    live,
    catchUpWithOtherProcesses: () => inserts.sync(),
    fetch: async (request, env) => {
      const response = await http.fetch(request, env);
      // A write here may have appended outbox events: publish them now, not at the next poll
      // (other processes' writes wake this one through the database on PostgreSQL).
      if (!SAFE_METHODS.has(request.method)) afterWrites();
      return response;
    },
    startWorkers() {
      if (running !== undefined) return;
      running = Promise.all([
        outbox.run(workers.signal),
        queue === undefined
          ? undefined
          : federation.startQueue(undefined, { signal: workers.signal }),
        wakeOnInserts(inserts, { outbox, queue }, workers.signal),
        backfillHazards(db.db, workers.signal).catch((error: unknown) =>
          logger.warning("Scanning older content for hazards stopped: {error}", {
            error: errorDetails(error),
          }),
        ),
      ]);
    },
    endStreams: () => live.streams.closeAll(),
    close,
    [Symbol.asyncDispose]: close,
  };
}
