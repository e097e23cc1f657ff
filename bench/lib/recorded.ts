import { request } from "node:http";
import type { LoadRequest } from "../load.ts";

/** One answer of the instance, as bench/baseline-server.ts serves it back (SAME_BYTES). */
export interface RecordedAnswer {
  readonly path: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  /** base64 */
  readonly body: string;
}

/** Headers that belong to the connection or the moment, which the baseline's stack sets itself. */
const PER_CONNECTION = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
]);

/**
 * Asks the instance at `port` once for `load` (node:http, which adds no Accept-Encoding, like the
 * load generator) and records the answer's status, headers and bytes.
 */
export function recordAnswer(port: number, load: LoadRequest): Promise<RecordedAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port, method: load.method, path: load.path, headers: load.headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", reject);
        incoming.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value === undefined || PER_CONNECTION.has(name)) continue;
            headers[name] = Array.isArray(value) ? value.join(", ") : value;
          }
          resolve({
            path: load.path,
            status: incoming.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks).toString("base64"),
          });
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(load.body);
  });
}
