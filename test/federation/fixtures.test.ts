import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { exportSpki, signRequest } from "@fedify/fedify";
import { Object as ASObject, Note, Page } from "@fedify/vocab";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromNote, fromPage } from "../../src/federation/mappers/from-vocab.ts";
import { domainState, registerAgent } from "../harness/api.ts";
import type { Json } from "../harness/fake-remote.ts";
import { logRecords } from "../harness/logs.ts";
import { createNetwork, type Network } from "../harness/network.ts";

// Every real payload from Lemmy, Mastodon, Mbin, NodeBB, Pleroma and PeerTube, one test per file.
// Objects and collections parse (posts and comments map to what we keep). Activities are
// delivered signed to the shared inbox, in file order, with every object the payloads name
// served by an in-process stand-in for its host: each is applied (what the instance knows
// changes) or ignored with a log line saying why; none is an error.

const ROOT = new URL("../fixtures/activitypub/", import.meta.url).pathname;
const SOFTWARE = ["lemmy", "mastodon", "mbin", "nodebb", "pleroma", "peertube"];
const LITEPUB = readFileSync(
  new URL("../fixtures/contexts/litepub-0.1.jsonld", import.meta.url),
  "utf8",
);
const DEFAULT_CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"];

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
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
/**
 * The payloads that map onto what an instance holds, in this order: a Lemmy post into a community,
 * a comment on it, its edit, a downvote from another server, its deletion by the author. The rest
 * name things that are not here (replies to unknown posts, follows of other servers' actors),
 * are not ours to take (a relay of a post from another community, an edit of a community by a
 * user) or are kinds not handled (private messages, moderation, reports): ignored, with a reason.
 */
const MAPPED = [
  "lemmy/activities/create_or_update/create_page.json",
  "lemmy/activities/create_or_update/create_comment.json",
  "lemmy/activities/create_or_update/update_page.json",
  "lemmy/activities/voting/dislike_page.json",
  "lemmy/activities/deletion/delete_page.json",
];
// Delivered in the order a server would see them: what creates things before what changes them.
const ORDER = ["Follow", "Accept", "Create", "Announce", "Update", "Like", "Dislike", "Undo"];
const rank = (type: string) => (ORDER.includes(type) ? ORDER.indexOf(type) : ORDER.length);
const activities = payloads
  .filter((p) => typeof p.json.actor === "string" && !OBJECT_TYPES.has(p.json.type))
  .sort(
    (a, b) =>
      rank(a.json.type) - rank(b.json.type) ||
      Number(a.json.object?.inReplyTo !== undefined) -
        Number(b.json.object?.inReplyTo !== undefined),
  );
const objects = payloads.filter((p) => !activities.includes(p));

/** A Lemmy community's URL (a Group), as the payloads name them in actor, audience, to and cc. */
const COMMUNITY = /^https?:\/\/[^/]+\/c\/[^/]+$/;

/** Every object with an id inside an activity payload (an Announce's Create, its Page…). */
function embedded(json: Json): Json[] {
  if (typeof json !== "object" || json === null || typeof json.object !== "object") return [];
  const inner = json.object;
  return [...(typeof inner.id === "string" ? [inner] : []), ...embedded(inner)];
}

/**
 * Plays every host the payloads name: the objects at their ids, the objects embedded in the
 * activities, a stand-in Group for each Lemmy community they name, and each activity's actor
 * (its own object payload when there is one, else a bare Person) with a key pair made here.
 */
async function playHosts(net: Network): Promise<Map<string, CryptoKeyPair>> {
  const documents = new Map<string, Json>();
  const serve = (json: Json) => {
    if (typeof json.id === "string" && !documents.has(json.id))
      documents.set(json.id, { "@context": DEFAULT_CONTEXT, ...json });
  };
  for (const { json } of objects) serve(json);
  for (const { json } of activities) {
    for (const inner of embedded(json)) serve(inner);
    const named = [json.actor, json.audience, json.object?.audience, json.to, json.cc].flat();
    for (const id of named) {
      if (typeof id !== "string" || !COMMUNITY.test(id)) continue;
      const name = id.split("/").at(-1);
      serve({
        id,
        type: "Group",
        preferredUsername: name,
        name,
        inbox: `${id}/inbox`,
        followers: `${id}/followers`,
      });
    }
  }
  const keys = new Map<string, CryptoKeyPair>();
  for (const { json } of activities) {
    const id: string = json.actor;
    if (keys.has(id)) continue;
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
    documents.set(id, {
      "@context": DEFAULT_CONTEXT,
      type: "Person",
      preferredUsername: new URL(id).pathname.split("/").filter(Boolean).at(-1) ?? "someone",
      inbox: `${id}/inbox`,
      ...documents.get(id),
      id,
      publicKey: {
        id: `${id}#main-key`,
        owner: id,
        publicKeyPem: await exportSpki(pair.publicKey),
      },
    });
  }
  const hosts = new Set([...documents.keys()].map((id) => new URL(id).host));
  for (const host of ["queer.hacktivis.me", "greenish.red", "mycrowd.ca"]) hosts.add(host);
  for (const host of hosts) {
    net.addHost(host, async (request) => {
      const url = new URL(request.url);
      if (request.method === "POST") return new Response(null, { status: 202 });
      if (/\/(schemas|contexts)(\/|$)/.test(url.pathname)) {
        return new Response(LITEPUB, { headers: { "content-type": "application/ld+json" } });
      }
      const document = documents.get(url.href) ?? documents.get(`${url.origin}${url.pathname}`);
      return document === undefined
        ? new Response("Not found", { status: 404 })
        : Response.json(document, { headers: { "content-type": "application/activity+json" } });
    });
  }
  return keys;
}

describe("real payloads from other fediverse software", () => {
  it("covers every file of the six servers", () => {
    expect(payloads.length).toBe(
      files(ROOT).filter((f) => SOFTWARE.some((s) => f.startsWith(join(ROOT, s)))).length,
    );
    expect(new Set(payloads.map((p) => p.name.split("/")[0]))).toEqual(new Set(SOFTWARE));
    expect(activities.length + objects.length).toBe(payloads.length);
  });

  describe("objects and collections", () => {
    const documentLoader = async (url: string) => {
      if (/\/(schemas|contexts)(\/|$)/.test(url))
        return { contextUrl: null, documentUrl: url, document: JSON.parse(LITEPUB) };
      return getDocumentLoader()(url);
    };
    it.each(objects)("$name parses, and maps if it is a post or comment", async ({ json }) => {
      const object = await ASObject.fromJsonLd(
        { "@context": DEFAULT_CONTEXT, ...json },
        { documentLoader, contextLoader: documentLoader },
      );
      expect(object.id?.href).toBe(json.id);
      if (object instanceof Page) expect((await fromPage(object)).title).not.toBe("");
      if (object instanceof Note && json.content !== undefined)
        expect(fromNote(object)).not.toBe("");
    });
  });

  describe("activities, delivered to the shared inbox", () => {
    let net: Network;
    let keys: Map<string, CryptoKeyPair>;
    beforeAll(async () => {
      net = await createNetwork(["alpha"], { dialect: "sqlite" });
      keys = await playHosts(net);
      const reef = await registerAgent(net.instance("alpha"), "reef");
      // A local agent follows every group that announces, so that their relays are taken.
      for (const { json } of activities.filter((a) => a.json.type === "Announce")) {
        const subscribe = await reef.api.post(
          `/submolts/${encodeURIComponent(json.actor)}/subscribe`,
        );
        expect(subscribe.body.action, json.actor).toBe("subscribed");
      }
      await net.drain();
    });
    afterAll(async () => {
      await net?.[Symbol.asyncDispose]();
    });

    const seen = new Set<string>();
    it.each(activities)("$name is applied or ignored with a log line", async ({ name, json }) => {
      const alpha = net.instance("alpha");
      const before = await domainState(alpha);
      const request = new Request("https://alpha.test/inbox", {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify({ "@context": DEFAULT_CONTEXT, ...json }),
      });
      const pair = keys.get(json.actor);
      if (pair === undefined) throw new Error(`no key for ${json.actor}`);
      const signed = await signRequest(request, pair.privateKey, new URL(`${json.actor}#main-key`));
      const response = await alpha.fetch(signed);
      const body = await response.text();
      expect(response.status, body).toBe(202);
      await net.drain();
      const after = await domainState(alpha);
      const appLogs = logRecords().filter((r) => r.category[0] === "moltiverse");
      expect(appLogs.filter((r) => r.level === "error" || r.level === "fatal")).toEqual([]);
      if (seen.has(json.id)) {
        // Some payloads reuse another's id: a repeat, which Fedify's idempotence skips.
        expect(body).toContain("has already been processed");
        expect(after).toEqual(before);
        return;
      }
      seen.add(json.id);
      const verdicts = appLogs.filter(
        (r) =>
          r.category.join(".") === "moltiverse.federation.inbox" && r.properties.id === json.id,
      );
      expect(verdicts, "one verdict logged").toHaveLength(1);
      const verdict = verdicts[0]?.properties;
      process.stdout.write(
        `VERDICT ${json.type} ${json.id} ${String(verdict?.reason ?? "APPLIED")}\n`,
      );
      if (verdict?.reason === undefined) {
        expect(after, "applied: what the instance knows changed").not.toEqual(before);
        expect(MAPPED).toContain(name);
      } else {
        expect(String(verdict.reason)).not.toBe("");
        expect(MAPPED, String(verdict.reason)).not.toContain(name);
      }
    });

    it("ends with the Lemmy thread as those payloads left it", async () => {
      const db = net.instance("alpha").db.db;
      const post = await db
        .selectFrom("posts")
        .innerJoin("submolts", "submolts.id", "posts.submolt_id")
        .select(["posts.id", "title", "content", "score", "deleted_at", "submolts.handle"])
        .where("posts.ap_id", "=", "http://ds9.lemmy.ml/post/1")
        .executeTakeFirstOrThrow();
      expect(post).toMatchObject({
        title: "test post 1",
        content: "test body",
        score: -1,
        handle: "main@enterprise.lemmy.ml",
      });
      expect(post.deleted_at).not.toBeNull();
      const comment = await db
        .selectFrom("comments")
        .select(["post_id", "content"])
        .where("ap_id", "=", "http://ds9.lemmy.ml/comment/1")
        .executeTakeFirstOrThrow();
      expect(comment).toEqual({ post_id: post.id, content: "hello" });
    });
  });
});
