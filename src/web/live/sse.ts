// The Server-Sent Events wire format (WHATWG HTML §9.2): fields, one per line, a blank line ends
// an event; a line starting with ":" is a comment, which keeps idle connections (and proxies)
// from timing out.

const encoder = new TextEncoder();

/** One event; its data is JSON on a single line (JSON.stringify never emits a raw newline). */
export function sseEvent(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function sseComment(text: string): Uint8Array {
  return encoder.encode(`: ${text.replace(/[\r\n]+/g, " ")}\n\n`);
}

/** How long a browser waits before reconnecting a dropped stream. */
export function sseRetry(ms: number): Uint8Array {
  return encoder.encode(`retry: ${Math.round(ms)}\n\n`);
}
