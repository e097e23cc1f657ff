import type { LogRecord } from "@logtape/logtape";

// The log records of the running test, kept by the sink test/setup.ts installs, so tests can
// assert that something was logged (an activity ignored with a reason, say).

const records: LogRecord[] = [];

export function recordLog(record: LogRecord): void {
  records.push(record);
}

export function clearLogs(): void {
  records.length = 0;
}

/** What has been logged since the test began. */
export function logRecords(): readonly LogRecord[] {
  return records;
}
