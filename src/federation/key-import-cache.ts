import { createHash } from "node:crypto";

// NOTE: Fedify's queued deliveries carry the sender's private keys as JWKs, and Fedify imports
// them afresh for every delivery (its outbox message handler calls importJwk). A freshly imported
// RSA key makes its first signature about 3.5 times as costly as a later one (OpenSSL prepares
// the key's Montgomery and blinding values on first use), so a fan-out to a thousand inboxes
// paid that a thousand times. Remembering recent imports lets every delivery sign with a key
// that is already prepared. CryptoKey objects are immutable, so sharing one between callers is
// safe; entries are keyed by a digest of everything the import depends on.

const INSTALLED = Symbol.for("moltiverse.jwkImportCache");
const MAX_ENTRIES = 256;

type ImportKey = SubtleCrypto["importKey"];

/**
 * Makes `subtle.importKey("jwk", …)` return the key it returned for the same JWK, algorithm,
 * extractability and usages, for the most recent {@link MAX_ENTRIES} of them. Other formats pass
 * through. Idempotent; process-wide (call it from the composition root).
 */
export function cacheJwkImports(subtle: SubtleCrypto = globalThis.crypto.subtle): void {
  const marked = subtle as SubtleCrypto & { [INSTALLED]?: true };
  if (marked[INSTALLED] === true) return;
  const importKey = subtle.importKey.bind(subtle) as (...args: unknown[]) => Promise<CryptoKey>;
  const cache = new Map<string, Promise<CryptoKey>>();
  const cached = (...args: unknown[]): Promise<CryptoKey> => {
    const [format, keyData, algorithm, extractable, usages] = args;
    if (format !== "jwk") return importKey(...args);
    const id = createHash("sha256")
      .update(JSON.stringify([keyData, algorithm, extractable, usages]))
      .digest("base64");
    const hit = cache.get(id);
    if (hit !== undefined) {
      // Most recently used last: the first entry is the one to evict.
      cache.delete(id);
      cache.set(id, hit);
      return hit;
    }
    const imported = importKey(...args);
    imported.catch(() => cache.delete(id));
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value ?? "");
    cache.set(id, imported);
    return imported;
  };
  Object.defineProperty(subtle, "importKey", {
    value: cached as ImportKey,
    configurable: true,
    writable: true,
  });
  Object.defineProperty(subtle, INSTALLED, { value: true });
}
