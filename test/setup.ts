import { getConsoleSink, type LogRecord } from "@logtape/logtape";
import { beforeAll, beforeEach } from "vitest";
import { configureLogging } from "../src/lib/logger.ts";
import { clearLogs, logRecords, recordLog } from "./harness/logs.ts";

// Log records are kept per test (tests may assert on them, see harness/logs.ts) and printed only
// when that test fails; LOG_LEVEL=debug npm test also prints everything as it happens.

const verbose = process.env.LOG_LEVEL !== undefined;
const printToConsole = getConsoleSink();

beforeAll(async () => {
  await configureLogging({
    level: verbose ? (process.env.LOG_LEVEL as "debug") : "info",
    format: "pretty",
    sink: verbose
      ? (record: LogRecord) => {
          recordLog(record);
          printToConsole(record);
        }
      : recordLog,
  });
});

beforeEach(({ onTestFailed }) => {
  clearLogs();
  if (verbose) return;
  onTestFailed(() => {
    for (const record of logRecords()) {
      const message = record.message.map((part) =>
        typeof part === "string" ? part : JSON.stringify(part),
      );
      console.error(`[${record.level}] ${record.category.join("·")} ${message.join("")}`);
    }
  });
});
