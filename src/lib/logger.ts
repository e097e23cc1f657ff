import { AsyncLocalStorage } from "node:async_hooks";
import process from "node:process";
import {
  configure,
  getAnsiColorFormatter,
  getJsonLinesFormatter,
  getLogger,
  getTextFormatter,
  type Logger,
  type LogLevel,
  type Sink,
  type TextFormatter,
} from "@logtape/logtape";
import { createBatchedSink } from "./batched-sink.ts";

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

/**
 * Configures LogTape once per process: called by main.ts, the CLIs and the test setup only. Lines
 * go to stdout (warnings and errors to stderr) in batches (see createBatchedSink); the returned
 * `flush` writes what is gathered, for the process's exit.
 */
export async function configureLogging(options: LoggingOptions): Promise<{ flush(): void }> {
  const batched = createBatchedSink({
    formatter: formatterFor(options.format),
    out: process.stdout,
    err: process.stderr,
  });
  await configure({
    reset: true,
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { main: options.sink ?? batched },
    loggers: [
      { category: [APP], sinks: ["main"], lowestLevel: options.level },
      // Fedify is chatty at info (every signature check); its warnings are what operators need.
      { category: ["fedify"], sinks: ["main"], lowestLevel: fedifyLevel(options.level) },
      // Fedify logs every non-ActivityPub 4xx it hands back to Hono; those are ours to log.
      { category: ["fedify", "federation", "http"], sinks: ["main"], lowestLevel: "error" },
      { category: ["logtape", "meta"], sinks: ["main"], lowestLevel: "warning" },
    ],
  });
  return { flush: batched.flush };
}

function formatterFor(format: LoggingOptions["format"]): TextFormatter {
  if (format === "json") return getJsonLinesFormatter();
  // Strings bare (no quotes) for people; colours only on a terminal.
  return process.stdout.isTTY
    ? getAnsiColorFormatter({ value: "bare", timestamp: "time" })
    : getTextFormatter({ value: "bare", timestamp: "date-time-tz" });
}

/** Fedify logs every signature check at info; it follows LOG_LEVEL only when debugging. */
function fedifyLevel(level: LogLevel): LogLevel {
  return level === "debug" || level === "trace" ? level : "warning";
}
