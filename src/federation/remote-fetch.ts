import { signRequest } from "@fedify/fedify";
import {
  type DocumentLoader,
  getRemoteDocument,
  getUserAgent,
  preloadedContexts,
  UrlError,
  validatePublicUrl,
} from "@fedify/vocab-runtime";
import type { RemoteFetchLimits } from "../domain/limits.ts";
import { appLogger } from "../lib/logger.ts";
import { SOFTWARE_NAME, SOFTWARE_VERSION } from "../lib/version.ts";
import { isUrlBlocked } from "../repos/blocks.ts";
import type { DbHandle } from "../repos/database.ts";

// The one way this instance fetches anything from elsewhere: Fedify's document and context
// loaders (actors, keys, objects), WebFinger, and the documents we look up ourselves (claim
// posts). Every hop of a redirect chain is checked (public address, not blocked), the chain is
// short, and the whole fetch is capped in time and size. Fedify's own loaders check addresses
// and redirects but read bodies of any size for as long as the remote cares to send them.

const logger = appLogger("federation", "fetch");

export const ACTIVITYPUB_ACCEPT = "application/activity+json, application/ld+json";

export interface FetchGuard {
  /** Development and tests only: loopback and private addresses are allowed. */
  readonly allowPrivateAddress: boolean;
  readonly limits: RemoteFetchLimits;
  readonly userAgent: string;
  /** Hosts and actors the operator blocked are never fetched. */
  readonly isBlocked: (url: URL) => Promise<boolean>;
}

/** The instance's guard: its address policy and caps, and the operator's block lists. */
export function createFetchGuard(options: {
  readonly origin: URL;
  readonly db: DbHandle;
  readonly allowPrivateAddress: boolean;
  readonly limits: RemoteFetchLimits;
  /** The blocks as kept in memory (repos/blocks.ts BlockListCache); else read per fetch. */
  readonly isBlocked?: (url: URL) => Promise<boolean>;
}): FetchGuard {
  return {
    allowPrivateAddress: options.allowPrivateAddress,
    limits: options.limits,
    userAgent: getUserAgent({
      software: `${SOFTWARE_NAME}/${SOFTWARE_VERSION}`,
      url: options.origin,
    }),
    isBlocked: options.isBlocked ?? ((url) => isUrlBlocked(options.db, url)),
  };
}

/** A fetch this instance refused to make or to finish (not worth retrying). */
export class RemoteFetchRefused extends Error {
  override name = "RemoteFetchRefused";
}

/** Signs each request of a chain (the instance actor's signed fetch). */
export type RequestSigner = (request: Request) => Promise<Request>;

export interface GuardedResponse {
  /** Where the document was found, after redirects. */
  readonly url: URL;
  /** The response with its body read in full (within the size cap). */
  readonly response: Response;
}

/**
 * GETs `url` under the guard. Throws UrlError for a private address, RemoteFetchRefused for a
 * blocked host, a long redirect chain or an oversized body, and a TimeoutError past the time cap.
 */
export async function guardedFetch(
  guard: FetchGuard,
  url: URL,
  options: { accept: string; sign?: RequestSigner; signal?: AbortSignal },
): Promise<GuardedResponse> {
  const timeout = AbortSignal.timeout(guard.limits.timeoutMs);
  const signal =
    options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  const visited = new Set<string>();
  let current = url;
  for (let hop = 0; ; hop++) {
    await assertFetchable(guard, current);
    visited.add(current.href);
    const unsigned = new Request(current, {
      headers: { Accept: options.accept, "User-Agent": guard.userAgent },
      redirect: "manual",
      signal,
    });
    const request = options.sign === undefined ? unsigned : await options.sign(unsigned);
    const response = await untilAborted(fetch(request, { redirect: "manual", signal }), signal);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel().catch(() => {});
      const next = new URL(location, current);
      if (hop >= guard.limits.maxRedirects) {
        throw new RemoteFetchRefused(`More than ${guard.limits.maxRedirects} redirects: ${url}`);
      }
      if (visited.has(next.href)) throw new RemoteFetchRefused(`Redirect loop at ${next.href}`);
      current = next;
      continue;
    }
    const body = await readCapped(response, guard.limits.maxBytes, signal);
    const nullBody = [101, 204, 205, 304].includes(response.status);
    return {
      url: current,
      response: new Response(nullBody ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      }),
    };
  }
}

/** Whether `url` is on a public address (or private addresses are allowed): inbox URLs we store. */
export async function isPublicUrl(guard: FetchGuard, url: URL): Promise<boolean> {
  if (url.protocol !== "https:" && url.protocol !== "http:") return false;
  if (guard.allowPrivateAddress) return true;
  try {
    await validatePublicUrl(url.href);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses one hop of a request the instance is about to make: a scheme other than http(s), a
 * private address (unless allowed), a blocked host. Throws UrlError or RemoteFetchRefused.
 */
export async function assertFetchable(guard: FetchGuard, url: URL): Promise<void> {
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UrlError(`Unsupported protocol: ${url.protocol}`);
  }
  if (!guard.allowPrivateAddress) {
    try {
      await validatePublicUrl(url.href);
    } catch (error) {
      logger.warning("Refused to fetch {url}: not a public address", { url: url.href });
      throw error;
    }
  }
  if (await guard.isBlocked(url)) {
    throw new RemoteFetchRefused(`${url.host} is blocked here: ${url.href} is not fetched`);
  }
}

/** The body as bytes, refused as soon as it passes `maxBytes`, whatever Content-Length says. */
async function readCapped(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(response.url, maxBytes);
  }
  if (response.body === null) return new Uint8Array(new ArrayBuffer(0));
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await untilAborted(reader.read(), signal);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(response.url, maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(url: string, maxBytes: number): RemoteFetchRefused {
  return new RemoteFetchRefused(`Response larger than ${maxBytes} bytes${url ? `: ${url}` : ""}`);
}

/**
 * `work`, or the signal's reason once it aborts. A fetch should give up by itself on abort, but
 * not every fetch does (a stalled body stream, a stand-in fetch), and the cap must hold anyway.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A JSON-LD document loader on the guarded fetch; `sign` makes it the instance's signed
 * (authorized) fetch. Standard contexts are served from Fedify's preloaded copies.
 */
export function createGuardedLoader(guard: FetchGuard, sign?: RequestSigner): DocumentLoader {
  const load: DocumentLoader = async (url, options) => {
    if (url in preloadedContexts) {
      return { contextUrl: null, document: preloadedContexts[url], documentUrl: url };
    }
    const fetched = await guardedFetch(guard, new URL(url), {
      accept: ACTIVITYPUB_ACCEPT,
      ...(sign === undefined ? {} : { sign }),
      ...(options?.signal === undefined ? {} : { signal: options.signal }),
    });
    return getRemoteDocument(fetched.url.href, fetched.response, load);
  };
  return load;
}

/**
 * Signs as Mastodon verifies (draft-cavage), which every fediverse server we know accepts.
 * NOTE: Fedify's own signed loader tries RFC 9421 first and falls back ("double knock"); that
 * costs a second request to most servers, and it has no size or time cap.
 */
export function signAs(identity: { keyId: URL; privateKey: CryptoKey }): RequestSigner {
  return (request) =>
    signRequest(request, identity.privateKey, identity.keyId, {
      spec: "draft-cavage-http-signatures-12",
    });
}
