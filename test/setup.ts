import type { LogRecord } from "@logtape/logtape";
import { beforeAll, beforeEach } from "vitest";
import { configureLogging } from "../src/lib/logger.ts";

// Log records are buffered per test and printed only when that test fails;
// LOG_LEVEL=debug npm test prints everything as it happens.

const verbose = process.env.LOG_LEVEL !== undefined;
let buffer: LogRecord[] = [];

beforeAll(async () => {
  await configureLogging({
    level: verbose ? (process.env.LOG_LEVEL as "debug") : "info",
    format: "pretty",
    ...(verbose ? {} : { sink: (record: LogRecord) => void buffer.push(record) }),
  });
});

beforeEach(({ onTestFailed }) => {
  buffer = [];
  onTestFailed(() => {
    for (const record of buffer) {
      const message = record.message.map((part) =>
        typeof part === "string" ? part : JSON.stringify(part),
      );
      console.error(`[${record.level}] ${record.category.join("·")} ${message.join("")}`);
    }
  });
});
