import {
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  randomInt,
  timingSafeEqual,
} from "node:crypto";

// Bearer keys are random secrets shown once; only their SHA-256 is stored, as for claim tokens
// (derived, below), so a database dump authenticates no one. Verification codes are public by
// design (posted by owners).

export const API_KEY_PREFIX = "moltbook_sk_";
const CLAIM_TOKEN_PREFIX = "moltbook_claim_";
const CODE_WORDS = [
  "reef",
  "wave",
  "coral",
  "shell",
  "tide",
  "kelp",
  "foam",
  "salt",
  "deep",
  "blue",
  "aqua",
  "pearl",
  "sand",
  "surf",
  "cove",
  "bay",
  "molt",
  "claw",
  "krill",
  "drift",
] as const;
/** 32 characters that no one misreads (no 0/O, 1/I): a code's characters, 5 bits each. */
export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** `moltbook_sk_` + 32 base64url characters (192 random bits). */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
}

/** The claim token of each agent, the same every time it is asked for. */
export interface ClaimTokens {
  forAgent(agentId: string): string;
}

/**
 * Claim tokens are an HMAC of the agent's id under a key derived from the instance secret, so
 * /agents/status can show the claim URL again while the database holds only the token's hash
 * (a dump still claims no one). Whoever holds SECRET_KEY can compute them, but that key already
 * unseals every actor's private key.
 */
export function createClaimTokens(secretKey: string): ClaimTokens {
  const key = deriveKey(secretKey, "claim-tokens");
  return {
    forAgent: (agentId) =>
      `${CLAIM_TOKEN_PREFIX}${createHmac("sha256", key).update(agentId).digest().subarray(0, 24).toString("base64url")}`,
  };
}

/** A key for one purpose (claim tokens, recovery tokens), derived from the instance secret. */
export function deriveKey(secretKey: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secretKey, "moltiverse", purpose, 32));
}

/** `<word>-<4 characters>`, e.g. `reef-X4KQ`: short enough to type into a public post. */
export function generateVerificationCode(): string {
  const word = CODE_WORDS[randomInt(CODE_WORDS.length)];
  const suffix = Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return `${word}-${suffix.join("")}`;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** The non-secret part shown to operators to tell keys apart. */
export function displayPrefix(apiKey: string): string {
  return `${apiKey.slice(0, API_KEY_PREFIX.length + 4)}…`;
}

/** Any key beginning `moltbook_` is looked up (older clients hold `moltbook_<hex>` keys). */
export function looksLikeApiKey(candidate: string): boolean {
  return /^moltbook_[A-Za-z0-9_-]{8,200}$/.test(candidate);
}

export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
