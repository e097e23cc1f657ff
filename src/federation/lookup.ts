import { Object as APObject } from "@fedify/vocab";
import type { DocumentLoader } from "@fedify/vocab-runtime";
import { appLogger } from "../lib/logger.ts";
import { type FetchGuard, guardedFetch } from "./remote-fetch.ts";

// Looking remote things up, on the guarded fetch only. Fedify's lookupObject does the same, but
// when a URL cannot be fetched it falls back to WebFinger with a fetch of its own, outside the
// guard; so we keep its checks and drop the fallback.

const logger = appLogger("federation", "lookup");

export interface Loaders {
  readonly documentLoader: DocumentLoader;
  readonly contextLoader: DocumentLoader;
}

/**
 * The object at `url`, or null when it cannot be fetched or parsed, or when its id is on another
 * origin than the document it came from (a file hosted somewhere cannot speak for that origin).
 * Loader errors are swallowed as lookupObject swallows them; wrap the loader to see them.
 */
export async function fetchRemoteObject(url: URL, loaders: Loaders): Promise<APObject | null> {
  let document: Awaited<ReturnType<DocumentLoader>>;
  try {
    document = await loaders.documentLoader(url.href);
  } catch (error) {
    logger.debug("Could not fetch {url}: {error}", { url: url.href, error });
    return null;
  }
  let object: APObject;
  try {
    object = await APObject.fromJsonLd(document.document, {
      documentLoader: loaders.documentLoader,
      contextLoader: loaders.contextLoader,
      baseUrl: new URL(document.documentUrl),
    });
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
  if (object.id !== null && object.id.origin !== new URL(document.documentUrl).origin) {
    logger.warning("Ignored {id}: served from another origin ({url})", {
      id: object.id.href,
      url: document.documentUrl,
    });
    return null;
  }
  return object;
}

/** `acct:name@host` through WebFinger, then the actor it names; null when either is missing. */
export async function lookupHandle(
  guard: FetchGuard,
  loaders: Loaders,
  handle: { name: string; host: string },
): Promise<APObject | null> {
  const resource = `acct:${handle.name}@${handle.host}`;
  const url = new URL(`https://${handle.host}/.well-known/webfinger`);
  url.searchParams.set("resource", resource);
  let links: unknown;
  try {
    const { response } = await guardedFetch(guard, url, {
      accept: "application/jrd+json, application/json",
    });
    if (!response.ok) return null;
    links = ((await response.json()) as { links?: unknown }).links;
  } catch (error) {
    logger.info("WebFinger lookup of {resource} failed: {error}", { resource, error });
    return null;
  }
  const self = Array.isArray(links)
    ? links.find(
        (link: { rel?: unknown; type?: unknown; href?: unknown }) =>
          link.rel === "self" &&
          typeof link.href === "string" &&
          URL.canParse(link.href) &&
          typeof link.type === "string" &&
          /^application\/(activity\+json|ld\+json)/.test(link.type),
      )
    : undefined;
  return self === undefined ? null : fetchRemoteObject(new URL(self.href), loaders);
}
