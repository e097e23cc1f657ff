import { Point } from "@noble/ed25519";

// Agents' Ed25519 public keys arrive as 32 raw bytes in base64url, or as a multibase Multikey
// (`z` + base58btc of the multicodec prefix 0xed 0x01 and the 32 bytes), as FEP-521a writes them.

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const ED25519_MULTICODEC = [0xed, 0x01] as const;

/** The 32 raw bytes of a valid Ed25519 public key, or undefined when `text` is not one. */
export function parseEd25519PublicKey(text: string): Uint8Array | undefined {
  // 43 base64url characters are never a Multikey (those run 48), even when they begin with z.
  const bytes =
    fromBase64Url(text) ?? (text.startsWith("z") ? fromMultikey(text.slice(1)) : undefined);
  if (bytes === undefined || bytes.length !== 32) return undefined;
  try {
    // On the curve, and not one of the few small-order points anyone can sign for.
    return Point.fromBytes(bytes).isSmallOrder() ? undefined : bytes;
  } catch {
    return undefined;
  }
}

/** Raw public key bytes as the base64url text we store and show. */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]{43}=?$/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, "base64url"));
}

function fromMultikey(base58: string): Uint8Array | undefined {
  const decoded = decodeBase58(base58);
  if (decoded === undefined || decoded.length !== 34) return undefined;
  if (decoded[0] !== ED25519_MULTICODEC[0] || decoded[1] !== ED25519_MULTICODEC[1])
    return undefined;
  return decoded.subarray(2);
}

/** The bytes of base58btc text (the alphabet of Bitcoin and multibase `z`), or undefined. */
export function decodeBase58(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > 100) return undefined;
  let value = 0n;
  for (const char of text) {
    const digit = BASE58.indexOf(char);
    if (digit < 0) return undefined;
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  const leadingZeros = text.length - text.replace(/^1+/, "").length;
  return new Uint8Array([...new Array(leadingZeros).fill(0), ...bytes]);
}
