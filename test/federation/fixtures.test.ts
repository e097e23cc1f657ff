import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { exportSpki, signRequest } from "@fedify/fedify";
import { Object as ASObject, Page } from "@fedify/vocab";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import { describe, expect, it } from "vitest";
import { fromPage } from "../../src/federation/mappers/from-vocab.ts";
import { registerAgent } from "../harness/api.ts";
import type { Json } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

// Every real payload from Lemmy, Mastodon, Mbin, NodeBB, Pleroma and PeerTube, delivered signed
// to the shared inbox: each is applied or acknowledged and ignored with a log line; none is an
// error. The payloads' own hosts are played in process.

const ROOT = new URL("../../../shared/fixtures/activitypub/", import.meta.url).pathname;
const SOFTWARE = ["lemmy", "mastodon", "mbin", "nodebb", "pleroma", "peertube"];
const LITEPUB = readFileSync(
  new URL("../fixtures/contexts/litepub-0.1.jsonld", import.meta.url),
  "utf8",
);
const DEFAULT_CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".json") ? [path] : [];
  });
}

const payloads = SOFTWARE.flatMap((software) => files(join(ROOT, software))).map((path) => ({
  name: relative(ROOT, path),
  json: JSON.parse(readFileSync(path, "utf8")) as Json,
}));
// Pleroma also puts `actor` on plain objects; an activity is what is not one of those.
const OBJECT_TYPES = new Set([
  "Note",
  "ChatMessage",
  "Article",
  "Page",
  "Video",
  "Person",
  "Group",
  "Application",
  "Tombstone",
  "OrderedCollection",
  "Collection",
]);
const activities = payloads.filter(
  (p) => typeof p.json.actor === "string" && !OBJECT_TYPES.has(p.json.type),
);
const objects = payloads.filter((p) => !activities.includes(p));

/** Plays every host the payloads name: actors with keys made here, and litepub contexts. */
async function playHosts(net: Awaited<ReturnType<typeof createNetwork>>) {
  const keys = new Map<string, CryptoKeyPair>();
  const actors = new Map<string, Json>();
  for (const { json } of activities) {
    const id: string = json.actor;
    if (actors.has(id)) continue;
    const pair = await crypto.subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
      true,
      ["sign", "verify"],
    );
    keys.set(id, pair);
    actors.set(id, {
      "@context": DEFAULT_CONTEXT,
      id,
      type: "Person",
      preferredUsername: new URL(id).pathname.split("/").filter(Boolean).at(-1) ?? "someone",
      inbox: `${id}/inbox`,
      publicKey: {
        id: `${id}#main-key`,
        owner: id,
        publicKeyPem: await exportSpki(pair.publicKey),
      },
    });
  }
  const hosts = new Set([...actors.keys()].map((id) => new URL(id).host));
  for (const host of ["queer.hacktivis.me", "greenish.red", "mycrowd.ca"]) hosts.add(host);
  for (const host of hosts) {
    net.addHost(host, async (request) => {
      const url = new URL(request.url);
      if (request.method === "POST") return new Response(null, { status: 202 });
      if (/\/(schemas|contexts)(\/|$)/.test(url.pathname)) {
        return new Response(LITEPUB, { headers: { "content-type": "application/ld+json" } });
      }
      const actor = actors.get(`${url.origin}${url.pathname}`);
      return actor === undefined
        ? new Response("Not found", { status: 404 })
        : Response.json(actor, { headers: { "content-type": "application/activity+json" } });
    });
  }
  return keys;
}

describe("real payloads from other fediverse software", () => {
  it("parses every object and collection, and maps posts", async () => {
    const documentLoader = async (url: string) => {
      if (/\/(schemas|contexts)(\/|$)/.test(url))
        return { contextUrl: null, documentUrl: url, document: JSON.parse(LITEPUB) };
      return getDocumentLoader()(url);
    };
    const failures: string[] = [];
    for (const { name, json } of objects) {
      try {
        const object = await ASObject.fromJsonLd(
          { "@context": DEFAULT_CONTEXT, ...json },
          { documentLoader, contextLoader: documentLoader },
        );
        if (object instanceof Page)
          expect((await fromPage(object)).title.length, name).toBeGreaterThan(0);
      } catch (error) {
        failures.push(`${name}: ${String(error)}`);
      }
    }
    expect(objects.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });

  it("finds the payloads", () => {
    expect(activities.length).toBeGreaterThan(40);
  });

  it("applies or ignores every activity, never failing", { timeout: 60_000 }, async () => {
    await using net = await createNetwork(["alpha"], { dialect: "sqlite" });
    const keys = await playHosts(net);
    await registerAgent(net.instance("alpha"), "reef");
    const failures: string[] = [];
    for (const { name, json } of activities) {
      const body = { "@context": DEFAULT_CONTEXT, ...json };
      const request = new Request("https://alpha.test/inbox", {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify(body),
      });
      const pair = keys.get(json.actor);
      if (pair === undefined) throw new Error(`no key for ${json.actor}`);
      const response = await net
        .instance("alpha")
        .fetch(await signRequest(request, pair.privateKey, new URL(`${json.actor}#main-key`)));
      if (response.status !== 202)
        failures.push(`${name}: ${response.status} ${await response.text()}`);
    }
    await net.drain();
    expect(failures).toEqual([]);
  });
});
