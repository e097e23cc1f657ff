import type { DocumentLoader } from "@fedify/vocab-runtime";
import { FetchError } from "@fedify/vocab-runtime";

// Inbox handlers fetch what an activity points at (its object, its author). When that remote
// says the thing does not exist, the activity is dropped; when the remote could not be reached
// (down, overloaded, timing out), the handler throws and the queue applies the activity later.
// Retrying is safe: every handler is idempotent.

/** Thrown when a remote an activity needs was out of reach: the activity is retried later. */
export class RemoteUnreachable extends Error {
  override name = "RemoteUnreachable";
}

/** A failure that may pass: no answer at all, a 5xx, or a 429. */
export function isTransientFetchFailure(error: unknown): boolean {
  if (error instanceof RemoteUnreachable) return true;
  if (error instanceof FetchError) {
    const status = error.response?.status;
    return status === undefined || status >= 500 || status === 429;
  }
  // fetch() rejects with a TypeError when it gets no response; timeouts are DOMExceptions.
  if (error instanceof TypeError) return /fetch failed|network|ECONN|socket/i.test(error.message);
  return error instanceof DOMException && ["TimeoutError", "AbortError"].includes(error.name);
}

/** The fetched value, or null when the remote answered that it is gone or sent nonsense. */
export async function unlessGone<T>(fetching: Promise<T>): Promise<T | null> {
  try {
    return await fetching;
  } catch (error) {
    if (isTransientFetchFailure(error))
      throw new RemoteUnreachable(String(error), { cause: error });
    return null;
  }
}

/**
 * Wraps a document loader to remember whether a fetch failed transiently: for Fedify calls that
 * swallow loader errors (lookupObject answers null), so the caller can still tell the two apart.
 */
export function watchLoader(loader: DocumentLoader): {
  readonly loader: DocumentLoader;
  /** Throws RemoteUnreachable if some fetch through the loader failed transiently. */
  assertReached(what: string): void;
  /** Whether fetching `url` was answered 404 or 410. */
  wasGone(url: string): boolean;
} {
  let transient: unknown;
  const gone = new Set<string>();
  return {
    loader: async (url, options) => {
      try {
        return await loader(url, options);
      } catch (error) {
        const status = error instanceof FetchError ? error.response?.status : undefined;
        if (status === 404 || status === 410) gone.add(url);
        if (isTransientFetchFailure(error)) transient ??= error;
        throw error;
      }
    },
    wasGone: (url) => gone.has(url),
    assertReached(what) {
      if (transient !== undefined) {
        throw new RemoteUnreachable(`Could not fetch ${what}: ${String(transient)}`, {
          cause: transient,
        });
      }
    },
  };
}
