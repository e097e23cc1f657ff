/** One Server-Sent Event as a browser's EventSource would see it, or a comment line. */
export interface SseItem {
  readonly event?: string;
  readonly data?: string;
  readonly retry?: number;
  readonly comment?: string;
}

export interface SseReader {
  /** The next event (comments and retry hints included), within `ms`. */
  next(ms?: number): Promise<SseItem>;
  /** The next item with an `event:` field, skipping comments and hints. */
  nextEvent(ms?: number): Promise<{ event: string; data: unknown }>;
  /** Whether the stream has ended (read to its end). */
  ended(ms?: number): Promise<boolean>;
  cancel(): Promise<void>;
}

/** Parses a text/event-stream body block by block (WHATWG HTML §9.2.6, the parts we send). */
export function readSse(response: Response): SseReader {
  if (response.body === null) throw new Error("no body");
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let done = false;
  const items: SseItem[] = [];
  const pull = async (ms: number): Promise<void> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`nothing on the stream within ${ms} ms`)), ms);
    });
    try {
      const chunk = await Promise.race([reader.read(), timeout]);
      if (chunk.done) {
        done = true;
        return;
      }
      buffer += decoder.decode(chunk.value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end !== -1) {
        items.push(parseBlock(buffer.slice(0, end)));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
      }
    } finally {
      clearTimeout(timer);
    }
  };
  const next = async (ms = 5000): Promise<SseItem> => {
    while (items.length === 0) {
      if (done) throw new Error("stream ended");
      await pull(ms);
    }
    return items.shift() as SseItem;
  };
  return {
    next,
    async nextEvent(ms = 5000) {
      for (;;) {
        const item = await next(ms);
        if (item.event !== undefined)
          return { event: item.event, data: JSON.parse(item.data ?? "") };
      }
    },
    async ended(ms = 5000) {
      while (!done) {
        await pull(ms);
        items.length = 0;
      }
      return true;
    },
    cancel: () => reader.cancel(),
  };
}

function parseBlock(block: string): SseItem {
  const item: { event?: string; data?: string; retry?: number; comment?: string } = {};
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) item.comment = line.slice(1).trim();
    else if (line.startsWith("event: ")) item.event = line.slice(7);
    else if (line.startsWith("data: "))
      item.data = (item.data === undefined ? "" : `${item.data}\n`) + line.slice(6);
    else if (line.startsWith("retry: ")) item.retry = Number(line.slice(7));
    else throw new Error(`Unexpected SSE line: ${JSON.stringify(line)}`);
  }
  return item;
}
