import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import process from "node:process";

// The load generator: its own process, so the server under test never shares an event loop with
// the client. Plain keep-alive HTTP/1.1 over net sockets, with requests serialised once up front
// and responses parsed just enough to find their end: node:http's client costs several times
// more per request, and on two cores the generator's cost is taken from the server.
//
// Usage: node bench/load.ts <spec.json>; prints one JSON LoadResult line.

export interface LoadRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface LoadSpec {
  readonly port: number;
  readonly connections: number;
  /** Stop after this long (after the warm-up). */
  readonly durationMs: number;
  /** Requests answered during the warm-up are not counted. */
  readonly warmupMs: number;
  readonly requests: readonly LoadRequest[];
  /** true: cycle through `requests`; false: send each once (writes), then stop. */
  readonly cycle: boolean;
}

export interface LoadResult {
  readonly count: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
  /** Every response, the warm-up's included (to divide the server's CPU time by). */
  readonly answered: number;
}

function serialise(port: number, request: LoadRequest): Buffer {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  for (const [name, value] of Object.entries(request.headers ?? {}))
    lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`);
  return body === undefined ? head : Buffer.concat([head, body]);
}

/**
 * Finds where one response ends in `buffer`: its status and total length, or undefined while
 * incomplete. Handles Content-Length and chunked bodies.
 */
function responseEnd(buffer: Buffer): { status: number; length: number } | undefined {
  const headEnd = buffer.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const head = buffer.toString("latin1", 0, headEnd);
  const status = Number(head.slice(9, 12));
  const bodyStart = headEnd + 4;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length !== null) {
    const end = bodyStart + Number(length[1]);
    return buffer.length >= end ? { status, length: end } : undefined;
  }
  if (!/\r\ntransfer-encoding:\s*chunked/i.test(head)) return { status, length: bodyStart };
  let at = bodyStart;
  for (;;) {
    const lineEnd = buffer.indexOf("\r\n", at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(buffer.toString("latin1", at, lineEnd), 16);
    const next = lineEnd + 2 + size + 2;
    if (buffer.length < next) return undefined;
    if (size === 0) return { status, length: next };
    at = next;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const wire = spec.requests.map((r) => serialise(spec.port, r));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let answered = 0;
  let next = 0;
  const started = performance.now();
  const measureFrom = started + spec.warmupMs;
  const stopAt = measureFrom + spec.durationMs;
  let measuredEnd = measureFrom;

  const take = (): Buffer | undefined => {
    if (performance.now() >= stopAt) return undefined;
    if (!spec.cycle && next >= wire.length) return undefined;
    const request = wire[next % wire.length];
    next++;
    return request;
  };

  const connection = () =>
    new Promise<void>((resolve) => {
      let socket: Socket;
      let pending: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      const send = () => {
        const request = take();
        if (request === undefined) {
          socket.end();
          resolve();
          return;
        }
        sentAt = performance.now();
        socket.write(request);
      };
      const open = () => {
        socket = connect({ port: spec.port, host: "127.0.0.1", noDelay: true }, send);
        socket.on("data", (chunk: Buffer) => {
          pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
          const end = responseEnd(pending);
          if (end === undefined) return;
          pending = pending.subarray(end.length);
          answered++;
          const now = performance.now();
          if (sentAt >= measureFrom) {
            latencies.push(now - sentAt);
            statuses[end.status] = (statuses[end.status] ?? 0) + 1;
            measuredEnd = now;
          }
          send();
        });
        socket.on("error", () => {
          errors++;
          socket.destroy();
        });
        // The server closed a keep-alive connection: carry on over a new one.
        socket.on("close", () => {
          if (performance.now() < stopAt && (spec.cycle || next < wire.length)) {
            pending = Buffer.alloc(0);
            open();
          } else resolve();
        });
      };
      open();
    });

  await Promise.all(Array.from({ length: spec.connections }, connection));
  const sorted = Float64Array.from(latencies).sort();
  const seconds = Math.max(0.001, (measuredEnd - measureFrom) / 1000);
  return {
    count: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    statuses,
    errors,
    answered,
  };
}

if (import.meta.main) {
  const spec = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as LoadSpec;
  const result = await runLoad(spec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
