import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import { uuidv7 } from "../domain/ids.ts";
import type { Clock } from "../lib/clock.ts";
import type { SecretBox } from "../lib/secret-box.ts";
import {
  insertActorKeyIfAbsent,
  type KeyAlgorithm,
  type KeyOwnerType,
  listActorKeys,
} from "../repos/actor-keys.ts";
import type { DbHandle } from "../repos/database.ts";

// Every local actor signs with RSA-2048 (HTTP Signatures, what Mastodon verifies) and Ed25519
// (Object Integrity Proofs). Keys are made on first use and kept, private halves sealed with a
// key derived from SECRET_KEY, so a database dump holds no usable private key.

const ALGORITHMS: readonly KeyAlgorithm[] = ["RSASSA-PKCS1-v1_5", "Ed25519"];

export interface ActorKeyStore {
  /** The actor's key pairs, RSA first then Ed25519, generating missing ones. */
  keyPairsOf(ownerType: KeyOwnerType, ownerId: string): Promise<CryptoKeyPair[]>;
}

const CACHED_ACTORS = 1000;

export function createActorKeyStore(deps: {
  db: DbHandle;
  box: SecretBox;
  clock: Clock;
}): ActorKeyStore {
  // Decrypting and importing keys costs more than signing; keep recent actors' keys in memory.
  const cache = new Map<string, Promise<CryptoKeyPair[]>>();
  return {
    keyPairsOf(ownerType, ownerId) {
      const key = `${ownerType}:${ownerId}`;
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      const loading = loadOrCreate(deps, ownerType, ownerId);
      loading.catch(() => cache.delete(key));
      if (cache.size >= CACHED_ACTORS) cache.delete(cache.keys().next().value ?? "");
      cache.set(key, loading);
      return loading;
    },
  };
}

async function loadOrCreate(
  deps: { db: DbHandle; box: SecretBox; clock: Clock },
  ownerType: KeyOwnerType,
  ownerId: string,
): Promise<CryptoKeyPair[]> {
  let stored = await listActorKeys(deps.db, ownerType, ownerId);
  const missing = ALGORITHMS.filter((a) => !stored.some((s) => s.algorithm === a));
  if (missing.length > 0) {
    for (const algorithm of missing) {
      const pair = await generateKeyPair(algorithm);
      await insertActorKeyIfAbsent(deps.db, {
        id: uuidv7(),
        ownerType,
        ownerId,
        algorithm,
        publicKey: JSON.stringify(await exportJwk(pair.publicKey)),
        privateKeyEncrypted: deps.box.seal(JSON.stringify(await exportJwk(pair.privateKey))),
        createdAt: deps.clock.now().toISOString(),
      });
    }
    // Re-read: another process may have won the race, and its keys are the ones to use.
    stored = await listActorKeys(deps.db, ownerType, ownerId);
  }
  const ordered = ALGORITHMS.map((a) => stored.find((s) => s.algorithm === a)).filter(
    (s) => s !== undefined,
  );
  return Promise.all(
    ordered.map(async (s) => ({
      publicKey: await importJwk(JSON.parse(s.publicKey) as JsonWebKey, "public"),
      privateKey: await importJwk(
        JSON.parse(deps.box.open(s.privateKeyEncrypted)) as JsonWebKey,
        "private",
      ),
    })),
  );
}

/** RSA-2048 made directly: Fedify's generateCryptoKeyPair makes 4096-bit keys, half as fast to sign. */
async function generateKeyPair(algorithm: KeyAlgorithm): Promise<CryptoKeyPair> {
  if (algorithm === "Ed25519") return generateCryptoKeyPair("Ed25519");
  return crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
}
