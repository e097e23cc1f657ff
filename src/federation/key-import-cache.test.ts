import { describe, expect, it } from "vitest";
import { cacheJwkImports } from "./key-import-cache.ts";

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

async function rsaJwk(): Promise<JsonWebKey> {
  const pair = await crypto.subtle.generateKey(
    { ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  );
  return crypto.subtle.exportKey("jwk", pair.privateKey);
}

/** A SubtleCrypto of its own (the real importKey), so the test leaves the global one alone. */
function ownSubtle(): SubtleCrypto {
  return { importKey: crypto.subtle.importKey.bind(crypto.subtle) } as SubtleCrypto;
}

describe("cacheJwkImports", () => {
  it("gives the same key for the same JWK import, and a working one", async () => {
    const subtle = ownSubtle();
    cacheJwkImports(subtle);
    cacheJwkImports(subtle); // idempotent
    const jwk = await rsaJwk();
    const first = await subtle.importKey("jwk", jwk, RSA, true, ["sign"]);
    const again = await subtle.importKey("jwk", structuredClone(jwk), RSA, true, ["sign"]);
    expect(again).toBe(first);
    const data = new TextEncoder().encode("payload");
    const signature = await crypto.subtle.sign(RSA, again, data);
    expect(signature.byteLength).toBe(256);
  });

  it("imports afresh when the key, the usages or the extractability differ", async () => {
    const subtle = ownSubtle();
    cacheJwkImports(subtle);
    const jwk = await rsaJwk();
    const key = await subtle.importKey("jwk", jwk, RSA, true, ["sign"]);
    expect(await subtle.importKey("jwk", await rsaJwk(), RSA, true, ["sign"])).not.toBe(key);
    const fixed = await subtle.importKey("jwk", jwk, RSA, false, ["sign"]);
    expect(fixed).not.toBe(key);
    expect(fixed.extractable).toBe(false);
  });

  it("does not remember failed imports, and leaves other formats alone", async () => {
    const subtle = ownSubtle();
    cacheJwkImports(subtle);
    const broken = { kty: "RSA", n: "AQAB" } as JsonWebKey;
    await expect(subtle.importKey("jwk", broken, RSA, true, ["sign"])).rejects.toThrow();
    await expect(subtle.importKey("jwk", broken, RSA, true, ["sign"])).rejects.toThrow();
    const raw = new Uint8Array(32);
    const hmac = { name: "HMAC", hash: "SHA-256" };
    const a = await subtle.importKey("raw", raw, hmac, false, ["sign"]);
    expect(await subtle.importKey("raw", raw, hmac, false, ["sign"])).not.toBe(a);
  });
});
