import type { Server } from "node:http";
import process from "node:process";
import { serve } from "@hono/node-server";
import { type App, createApp } from "./app.ts";
import { type Config, ConfigError } from "./config/config.ts";
import { loadConfig } from "./config/load.ts";
import { parseRole, type Role, runsWorkers, servesHttp } from "./config/role.ts";
import { appLogger, configureLogging } from "./lib/logger.ts";
import { releaseStartupMemory } from "./lib/memory.ts";

// The process entry: the only place (with cli/) that reads the environment and listens on a socket.

const logger = appLogger("main");

/** How long a stopping process waits for in-flight requests and deliveries before it exits. */
const SHUTDOWN_GRACE_MS = 25_000;

async function main(): Promise<void> {
  const role = parseRole(process.argv.slice(2));
  const { config } = loadConfig(process.env);
  const logging = await configureLogging(config.log);
  // Log lines are written in batches: what is gathered goes out before the process ends.
  process.on("exit", logging.flush);
  warnAboutDevelopmentSwitches(config);
  const app = await createApp(config);
  if (runsWorkers(role)) app.startWorkers();
  const server = servesHttp(role) ? listen(app, config, role) : undefined;
  if (server === undefined) logger.info("Moltiverse worker started: publishing and delivering");
  setImmediate(releaseStartupMemory);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("{signal} received: finishing in-flight work", { signal });
    const forced = setTimeout(() => {
      logger.warning("Still busy after {ms} ms: exiting; unfinished deliveries stay queued", {
        ms: SHUTDOWN_GRACE_MS,
      });
      process.exit(0);
    }, SHUTDOWN_GRACE_MS);
    void shutDown(app, server).then(() => {
      clearTimeout(forced);
      logger.info("Stopped");
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

function listen(app: App, config: Config, role: Role): Server {
  const { headersTimeoutMs, requestTimeoutMs } = config.http;
  const serverOptions = {
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    // NOTE: Node enforces both timeouts only when it checks connections (every 30 s by default),
    // which let a trickled request live on for up to 30 s past its limit.
    connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
  };
  const options = { fetch: app.fetch, hostname: config.http.host, port: config.http.port };
  return serve({ ...options, serverOptions }, (info) => {
    logger.info(
      "Moltiverse listening on {address}:{port}, public origin {origin}, database {dialect}, role {role}",
      {
        address: info.address,
        port: info.port,
        origin: config.origin.href,
        dialect: config.db.dialect,
        role,
      },
    );
  }) as Server;
}

/**
 * Ends live streams, stops taking connections and lets requests in flight finish (idle keep-alive
 * connections are closed at once), then stops the workers, which finish the deliveries they hold and leave the
 * rest queued, then closes the database.
 */
async function shutDown(app: App, server: Server | undefined): Promise<void> {
  // Live streams never end on their own: end them, or closing the server waits for the grace.
  app.endStreams();
  if (server !== undefined) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await app.close();
}

function warnAboutDevelopmentSwitches(config: Config): void {
  if (config.federation.allowPrivateAddress) {
    logger.warn(
      "ALLOW_PRIVATE_ADDRESS is on: federation may reach loopback and private networks. Use it for development only.",
    );
  }
  if (!config.limits.enabled) {
    logger.warn(
      "RATE_LIMITS is off: no request limit or cooldown applies. Use it for benchmarks and tests only.",
    );
  }
}

main().catch((error: unknown) => {
  // A configuration mistake gets its message alone; anything else its stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
