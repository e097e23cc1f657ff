import { readFileSync } from "node:fs";
import { exportSpki, signRequest } from "@fedify/fedify";
import { serve } from "@hono/node-server";
import { freePort } from "./process.ts";

const FIXTURES = new URL("../fixtures/activitypub/", import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: fixtures are arbitrary JSON documents.
export type Json = any;

/** A real payload from test/fixtures/activitypub/<path>. */
export function fixture(path: string): Json {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), "utf8"));
}

/**
 * A public Mastodon status by `author` (the real payload's shape, from the fixtures) whose
 * content is `html`, served at `<author>/statuses/<n>`.
 */
export function mastodonStatus(
  author: string,
  n: number,
  html: string,
  overrides: Json = {},
): Json {
  const name = new URL(author).pathname.split("/").at(-1);
  return {
    ...fixture("mastodon/objects/note_2.json"),
    id: `${author}/statuses/${n}`,
    url: `${new URL(author).origin}/@${name}/${n}`,
    attributedTo: author,
    inReplyTo: null,
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    cc: [`${author}/followers`],
    content: html,
    contentMap: undefined,
    tag: [],
    ...overrides,
  };
}

export interface ReceivedActivity {
  readonly inbox: string;
  readonly body: Json;
}

/**
 * Another fediverse server, played from fixtures: it serves one actor document (the fixture, with
 * a key pair made here), records what is delivered to its inboxes, and sends activities signed
 * as that actor (draft-cavage, as Mastodon signs).
 */
export interface FakeRemote {
  readonly host: string;
  readonly actorId: string;
  readonly received: ReceivedActivity[];
  /** Answers requests addressed to this host (plug into the network's fetch). */
  fetch(request: Request): Promise<Response>;
  /**
   * POSTs `activity` to `inbox`, signed with this actor's key (or `signAs` another key). A string
   * is sent as it is (JSON no serialiser would write).
   */
  send(
    inbox: string,
    activity: Json,
    options?: { unsigned?: boolean; signAs?: FakeRemote },
  ): Promise<Response>;
  /**
   * Serves `document` at its id from now on (a post or activity the server published), or at
   * `at` (a document that lies about where it lives).
   */
  publish(document: Json, at?: string): void;
  readonly keyId: string;
  readonly privateKey: CryptoKey;
  /** From now on the server answers every request with `status` (410: the account is gone). */
  answerEverythingWith(status: number): void;
}

export async function createFakeRemote(actorFixture: Json): Promise<FakeRemote> {
  const actorId: string = actorFixture.id;
  const host = new URL(actorId).host;
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
  const keyId = `${actorId}#main-key`;
  const actor = {
    // Some fixtures come without @context (the payload collections strip it); give them one.
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
    ...actorFixture,
    publicKey: { id: keyId, owner: actorId, publicKeyPem: await exportSpki(keys.publicKey) },
  };
  const received: ReceivedActivity[] = [];
  const documents = new Map<string, Json>([[actorId, actor]]);
  let forcedStatus: number | undefined;
  const remote: FakeRemote = {
    host,
    actorId,
    received,
    keyId,
    privateKey: keys.privateKey,
    publish(document, at = document.id) {
      documents.set(at, {
        "@context": "https://www.w3.org/ns/activitystreams",
        ...document,
      });
    },
    answerEverythingWith(status) {
      forcedStatus = status;
    },
    async fetch(request) {
      if (forcedStatus !== undefined) return new Response(null, { status: forcedStatus });
      const url = new URL(request.url);
      if (request.method === "POST") {
        received.push({ inbox: url.href, body: await request.json() });
        return new Response(null, { status: 202 });
      }
      const document = documents.get(`${url.origin}${url.pathname}`);
      if (document === undefined) return new Response("Not found", { status: 404 });
      return Response.json(document, { headers: { "content-type": "application/activity+json" } });
    },
    async send(inbox, activity, options = {}) {
      const request = new Request(inbox, {
        method: "POST",
        headers: {
          "content-type": "application/activity+json",
          accept: "application/activity+json",
        },
        body: typeof activity === "string" ? activity : JSON.stringify(activity),
      });
      const signer = options.signAs ?? remote;
      const signed = options.unsigned
        ? request
        : await signRequest(request, signer.privateKey, new URL(signer.keyId));
      return fetch(signed);
    },
  };
  return remote;
}

/** One server for several fake actors on the same host: each request goes to the actor it names. */
export function fakeHost(remotes: readonly FakeRemote[]): (request: Request) => Promise<Response> {
  return (request) => {
    const path = new URL(request.url).pathname;
    const owner = remotes.find((r) => path.startsWith(new URL(r.actorId).pathname)) ?? remotes[0];
    if (owner === undefined) return Promise.resolve(new Response(null, { status: 404 }));
    return owner.fetch(request);
  };
}

/** A fake remote served on a real loopback socket, for instances running as processes. */
export interface ServedFakeRemote extends FakeRemote {
  [Symbol.asyncDispose](): Promise<void>;
}

/** Serves `actorFixture` as `http://127.0.0.1:<port>/users/<name>` on a real socket. */
export async function serveFakeRemote(actorFixture: Json, name: string): Promise<ServedFakeRemote> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const remote = await createFakeRemote({
    ...actorFixture,
    id: `${base}/users/${name}`,
    inbox: `${base}/users/${name}/inbox`,
    endpoints: { sharedInbox: `${base}/inbox` },
  });
  const server = serve({ fetch: remote.fetch, hostname: "127.0.0.1", port });
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    ...remote,
    async [Symbol.asyncDispose]() {
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
