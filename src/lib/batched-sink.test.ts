import type { LogRecord } from "@logtape/logtape";
import { describe, expect, it } from "vitest";
import { createBatchedSink } from "./batched-sink.ts";

const record = (level: LogRecord["level"], text: string): LogRecord => ({
  category: ["test"],
  level,
  message: [text],
  rawMessage: text,
  properties: {},
  timestamp: 0,
});

function recordingSink() {
  const out: string[] = [];
  const err: string[] = [];
  const sink = createBatchedSink({
    formatter: (r) => `${r.level} ${String(r.message[0])}`,
    out: { write: (text) => out.push(text) },
    err: { write: (text) => err.push(text) },
  });
  return { sink, out, err };
}

describe("batched log sink", () => {
  it("writes a turn's lines in one write, in order, after the turn", async () => {
    const { sink, out } = recordingSink();
    sink(record("info", "one"));
    sink(record("debug", "two"));
    expect(out).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(out).toEqual(["info one\ndebug two\n"]);
  });

  it("writes warnings at once, after what was gathered, and loses nothing on flush", () => {
    const { sink, out, err } = recordingSink();
    sink(record("info", "before"));
    sink(record("error", "broke"));
    expect(out).toEqual(["info before\n"]);
    expect(err).toEqual(["error broke\n"]);
    sink(record("info", "last"));
    sink.flush();
    expect(out).toEqual(["info before\n", "info last\n"]);
  });
});
