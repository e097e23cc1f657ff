import { AsyncLocalStorage } from "node:async_hooks";
import {
  type ConsoleSinkOptions,
  configure,
  getConsoleSink,
  getJsonLinesFormatter,
  getLogger,
  type Logger,
  type LogLevel,
  type Sink,
} from "@logtape/logtape";

export const APP = "moltiverse";

export function appLogger(...category: string[]): Logger {
  return getLogger([APP, ...category]);
}

export interface LoggingOptions {
  readonly level: LogLevel;
  readonly format: "pretty" | "json";
  /** Extra sink (tests buffer records here). */
  readonly sink?: Sink;
}

/** Configures LogTape once per process: called by main.ts, the CLIs and the test setup only. */
export async function configureLogging(options: LoggingOptions): Promise<void> {
  const consoleOptions: ConsoleSinkOptions =
    options.format === "json" ? { formatter: getJsonLinesFormatter() } : {};
  await configure({
    reset: true,
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { main: options.sink ?? getConsoleSink(consoleOptions) },
    loggers: [
      { category: [APP], sinks: ["main"], lowestLevel: options.level },
      // Fedify is chatty at info (every signature check); its warnings are what operators need.
      { category: ["fedify"], sinks: ["main"], lowestLevel: "warning" },
      // Fedify logs every non-ActivityPub 4xx it hands back to Hono; those are ours to log.
      { category: ["fedify", "federation", "http"], sinks: ["main"], lowestLevel: "error" },
      { category: ["logtape", "meta"], sinks: ["main"], lowestLevel: "warning" },
    ],
  });
}
