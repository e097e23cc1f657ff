import { exportSpki, signRequest } from "@fedify/fedify";
import { serve } from "@hono/node-server";
import { serveHelper } from "./lib/helper-side.ts";
import { freePort } from "./lib/processes.ts";

// A remote fediverse server, for the inbox and fan-out benchmarks: it serves its actors' documents
// (one RSA-2048 key, as Mastodon signs) so that receivers can fetch the key, and sends signed
// POSTs. Op "send" { requests: [{ url, body }], concurrency, perHost, presign }: with presign,
// every request is signed before the clock starts (only delivery is timed); without, each is
// signed as it is sent, as a delivery queue does. Answers { startedAt, endedAt, statuses }.

const keys = await crypto.subtle.generateKey(
  {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  },
  true,
  ["sign", "verify"],
);
const publicKeyPem = await exportSpki(keys.publicKey);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const actorOf = (name: string) => `${base}/users/${name}`;

const server = serve({
  hostname: "127.0.0.1",
  port,
  fetch: (request) => {
    const name = /^\/users\/([\w-]+)$/.exec(new URL(request.url).pathname)?.[1];
    if (name === undefined) return new Response("Not found", { status: 404 });
    const id = actorOf(name);
    return Response.json(
      {
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        id,
        type: "Person",
        preferredUsername: name,
        inbox: `${id}/inbox`,
        outbox: `${id}/outbox`,
        publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem },
      },
      { headers: { "content-type": "application/activity+json" } },
    );
  },
});
await new Promise((resolve) => server.once("listening", resolve));

interface Outgoing {
  readonly url: string;
  readonly body: string;
  /** The actor (a name served here) that signs it. */
  readonly actor: string;
}

function sign(outgoing: Outgoing): Promise<Request> {
  const request = new Request(outgoing.url, {
    method: "POST",
    headers: { "content-type": "application/activity+json", accept: "application/activity+json" },
    body: outgoing.body,
  });
  return signRequest(request, keys.privateKey, new URL(`${actorOf(outgoing.actor)}#main-key`), {
    spec: "rfc9421",
  });
}

async function send(message: Record<string, unknown>) {
  const outgoing = message.requests as Outgoing[];
  const concurrency = Number(message.concurrency ?? 16);
  const perHost = Number(message.perHost ?? concurrency);
  const signed = message.presign === true ? await Promise.all(outgoing.map(sign)) : undefined;
  const statuses: Record<string, number> = {};
  const inFlight = new Map<string, number>();
  const waiting = outgoing.map((o, i) => ({ o, i }));
  const startedAt = Date.now();
  const worker = async () => {
    for (;;) {
      // The oldest request whose host has room, as the queue claims them.
      const at = waiting.findIndex(({ o }) => (inFlight.get(new URL(o.url).host) ?? 0) < perHost);
      if (waiting.length === 0) return;
      if (at < 0) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      const [{ o, i }] = waiting.splice(at, 1) as [{ o: Outgoing; i: number }];
      const host = new URL(o.url).host;
      inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
      try {
        const response = await fetch(signed?.[i] ?? (await sign(o)));
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      } catch {
        statuses.error = (statuses.error ?? 0) + 1;
      } finally {
        inFlight.set(host, (inFlight.get(host) ?? 1) - 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { startedAt, endedAt: Date.now(), statuses };
}

serveHelper({ send }, { base });
