import process from "node:process";
import { type KeyCache, verifyRequest } from "@fedify/fedify";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import { serve } from "@hono/node-server";
import { serveHelper } from "./lib/helper-side.ts";
import { freePort } from "./lib/processes.ts";

// Receiving instances for the fan-out, far-instance and inbox benchmarks: loopback servers (as
// many as the first argument says, in this one process) that verify each POST's HTTP signature
// with Fedify's verifyRequest, as a real inbox would (keys fetched once, then cached), and count.
// A second argument delays every answer by that many milliseconds (an instance far away).
// Ops: "reset" (forget counts), "stats" ({ verified, rejected, lastAt }).

const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
type CachedKey = Awaited<ReturnType<KeyCache["get"]>>;
const keys = new Map<string, CachedKey>();
const keyCache: KeyCache = {
  get: async (keyId) => keys.get(keyId.href),
  set: async (keyId, key) => {
    keys.set(keyId.href, key);
  },
};

let verified = 0;
let rejected = 0;
let lastAt = 0;

async function receive(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response("Not found", { status: 404 });
  const key = await verifyRequest(request, {
    documentLoader,
    contextLoader: documentLoader,
    keyCache,
    spec: request.headers.has("signature-input") ? "rfc9421" : "draft-cavage-http-signatures-12",
  });
  await request.arrayBuffer();
  if (key === null) {
    rejected++;
    return new Response("Unauthorized", { status: 401 });
  }
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  verified++;
  lastAt = Date.now();
  return new Response(null, { status: 202 });
}

const count = Number(process.argv[2] ?? 1);
const delayMs = Number(process.argv[3] ?? 0);
const ports: number[] = [];
for (let i = 0; i < count; i++) {
  const port = await freePort();
  const server = serve({ fetch: receive, hostname: "127.0.0.1", port });
  await new Promise((resolve) => server.once("listening", resolve));
  ports.push(port);
}

serveHelper(
  {
    reset: () => {
      verified = 0;
      rejected = 0;
      lastAt = 0;
    },
    stats: () => ({ verified, rejected, lastAt }),
  },
  { ports },
);
