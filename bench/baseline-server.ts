import { readFileSync } from "node:fs";
import process from "node:process";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

// The reads baselines, on the same stack as the instance (Hono on @hono/node-server, Node 24,
// its own process), with nothing of the instance loaded: a constant JSON at /json, and, when
// SAME_BYTES names a file of recorded answers (see bench/lib/recorded.ts), each of those answers
// served from memory at its path, with its status, headers and bytes as the instance sent them.
// A separate app rather than a route mounted into createApp, so production code has no
// benchmark switch at all. It answers /api/v1/health too, so it starts like the real server.

interface Recorded {
  readonly path: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const app = new Hono();
const BODY = { success: true, message: "constant", items: [1, 2, 3] };
app.get("/json", (c) => c.json(BODY));
app.get("/api/v1/health", (c) => c.json({ success: true, status: "healthy" }));

const file = process.env.SAME_BYTES;
const recorded = new Map<
  string,
  { status: number; headers: Record<string, string>; bytes: Uint8Array<ArrayBuffer> }
>();
if (file !== undefined) {
  for (const answer of JSON.parse(readFileSync(file, "utf8")) as Recorded[]) {
    const bytes = Buffer.from(answer.body, "base64");
    recorded.set(answer.path, {
      status: answer.status,
      headers: answer.headers,
      bytes: new Uint8Array(bytes),
    });
  }
}
app.get("*", (c) => {
  const url = c.req.url;
  const answer = recorded.get(url.slice(url.indexOf("/", url.indexOf("//") + 2)));
  if (answer === undefined) return c.notFound();
  return c.body(answer.bytes, answer.status as 200, answer.headers);
});

const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: Number(process.env.PORT) });
process.on("SIGTERM", () => server.close(() => process.exit(0)));
