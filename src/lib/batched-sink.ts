import type { LogRecord, Sink, TextFormatter } from "@logtape/logtape";

/** Where a batch of formatted lines goes (one write for many records). */
export interface LineWriter {
  write(text: string): void;
}

/** Flush a batch once it holds this much text, without waiting for the turn to end. */
const MAX_BATCH_CHARS = 64 * 1024;

/**
 * A sink that formats each record at once and writes records in batches: info and below are
 * gathered and written in one call when the current turn of the event loop is over (a busy
 * server then writes its request lines a batch at a time instead of one system call each, and
 * never inside a request's own work); warnings and errors are written at once, after what is
 * gathered, so that nothing important waits and the order holds. `flush()` writes what is
 * gathered; call it on exit (main.ts does) so that no line is lost.
 */
export function createBatchedSink(options: {
  readonly formatter: TextFormatter;
  readonly out: LineWriter;
  readonly err: LineWriter;
}): Sink & { flush(): void } {
  let batch: string[] = [];
  let chars = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (batch.length === 0) return;
    const text = batch.join("");
    batch = [];
    chars = 0;
    options.out.write(text);
  };
  const sink = (record: LogRecord) => {
    const line = withNewline(options.formatter(record));
    if (record.level === "warning" || record.level === "error" || record.level === "fatal") {
      flush();
      options.err.write(line);
      return;
    }
    batch.push(line);
    chars += line.length;
    if (chars >= MAX_BATCH_CHARS) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return Object.assign(sink, { flush });
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
