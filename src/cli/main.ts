import process from "node:process";
import { type App, createApp } from "../app.ts";
import { type Config, ConfigError } from "../config/config.ts";
import { loadConfig } from "../config/load.ts";
import { configureLogging } from "../lib/logger.ts";
import { backup, copyToPostgres, DATABASE_USAGE } from "./database.ts";
import { isModerationCommand, MODERATION_USAGE, moderate } from "./moderation.ts";
import { type Output, stdout } from "./output.ts";
import { deadLetters, QUEUE_USAGE, showQueue } from "./queue.ts";

// `npm run cli -- <command>`: operator commands, on the instance that the environment names.

const USAGE = `Usage: npm run cli -- <command>
${QUEUE_USAGE}
${DATABASE_USAGE}
${MODERATION_USAGE}`;

export async function runCli(args: readonly string[], config: Config, out: Output): Promise<void> {
  const [command, ...rest] = args;
  if (isModerationCommand(command)) {
    return withApp(config, (app) => moderate(app, command, rest, out));
  }
  switch (command) {
    case "queue":
      return withApp(config, (app) => showQueue(app, out));
    case "dead-letters":
      return withApp(config, (app) => deadLetters(app, rest, out));
    case "backup":
      return backup(config, rest, out);
    case "copy-to-postgres":
      return copyToPostgres(config, rest, out);
    default:
      throw new ConfigError(command === undefined ? USAGE : `Unknown command ${command}\n${USAGE}`);
  }
}

/** Runs `work` on the instance the configuration names (no workers started), then closes it. */
async function withApp(config: Config, work: (app: App) => Promise<void>): Promise<void> {
  const app = await createApp(config);
  try {
    await work(app);
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const { config } = loadConfig(process.env);
  // The command's own output is what the operator reads; only problems are logged.
  await configureLogging({ ...config.log, level: "warning" });
  await runCli(process.argv.slice(2), config, stdout);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}
