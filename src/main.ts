import process from "node:process";
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { ConfigError } from "./config/config.ts";
import { loadConfig } from "./config/load.ts";
import { appLogger, configureLogging } from "./lib/logger.ts";

// The process entry: the only place (with cli/) that reads the environment and listens on a socket.

const logger = appLogger("main");

async function main(): Promise<void> {
  const { config } = loadConfig(process.env);
  await configureLogging(config.log);
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
  const app = await createApp(config);
  app.startWorkers();
  const server = serve(
    { fetch: app.fetch, hostname: config.http.host, port: config.http.port },
    (info) => {
      logger.info(
        "Moltiverse listening on {address}:{port}, public origin {origin}, database {dialect}",
        {
          address: info.address,
          port: info.port,
          origin: config.origin.href,
          dialect: config.db.dialect,
        },
      );
    },
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("{signal} received: finishing in-flight work", { signal });
    server.close(async () => {
      await app.close();
      logger.info("Stopped");
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  // A configuration mistake gets its message alone; anything else its stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
