import { randomFillSync } from "node:crypto";

let lastMs = 0;
let counter = 0;

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, a 12-bit counter, then random bits. Ids made by
 * one process sort in creation order even within a millisecond (RFC 9562 §6.2, method 1), which
 * the queue relies on for ordering keys and which keeps primary-key indexes append-mostly.
 */
export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs += 1;
    counter = 0;
  }
  // 48 bits of milliseconds, as 12 hex digits.
  const time = lastMs.toString(16).padStart(12, "0");
  const at = takeRandom(8);
  const variant = HEX[((pool[at] ?? 0) & 0x3f) | 0x80];
  let rest = "";
  for (let i = at + 1; i < at + 8; i++) rest += HEX[pool[i] ?? 0];
  return `${time.slice(0, 8)}-${time.slice(8)}-${(0x7000 | counter).toString(16)}-${variant}${rest.slice(0, 2)}-${rest.slice(2)}`;
}

// NOTE: one randomFillSync call per id was 2-18 % of the CPU of write and read requests (each
// call enters OpenSSL); random bytes are drawn from a pool refilled 4 KiB at a time instead.
// Every byte is used once, and they are as random as before.
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let poolAt = POOL_BYTES;

/** The offset in `pool` of `n` fresh random bytes. */
function takeRandom(n: number): number {
  if (poolAt + n > POOL_BYTES) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += n;
  return at;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
