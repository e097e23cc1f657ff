import { createHash, createHmac, randomBytes } from "node:crypto";
import { CODE_ALPHABET, deriveKey, secretsEqual } from "./credentials.ts";

// Recovering an agent: its owner proves, with a fresh public post, that they still control the
// account recorded when they claimed it. The token is the requester's secret; the code, derived
// from it one way, is what the owner posts. Someone who reads the post learns the code, not the
// token, and cannot use the post: the instance stores neither (docs/decisions/0006).

const RECOVERY_TOKEN_PREFIX = "moltbook_recover_";

export interface RecoveryTokens {
  /** A fresh token for the agent, valid until `expiresAt`. */
  issue(agentId: string, expiresAt: Date): string;
  /** Whether `token` was issued here for `agentId` and has not expired at `now`. */
  isValid(token: string, agentId: string, now: Date): boolean;
}

/**
 * `moltbook_recover_<expiry>.<nonce>.<mac>`: an HMAC under a key derived from the instance secret
 * binds the expiry and nonce to one agent, so tokens need no table.
 */
export function createRecoveryTokens(secretKey: string): RecoveryTokens {
  const key = deriveKey(secretKey, "recovery-tokens");
  const mac = (agentId: string, expiry: string, nonce: string) =>
    createHmac("sha256", key)
      .update(`${agentId}\n${expiry}\n${nonce}`)
      .digest()
      .subarray(0, 24)
      .toString("base64url");
  return {
    issue(agentId, expiresAt) {
      const expiry = String(Math.floor(expiresAt.getTime() / 1000));
      const nonce = randomBytes(16).toString("base64url");
      return `${RECOVERY_TOKEN_PREFIX}${expiry}.${nonce}.${mac(agentId, expiry, nonce)}`;
    },
    isValid(token, agentId, now) {
      if (!token.startsWith(RECOVERY_TOKEN_PREFIX)) return false;
      const [expiry, nonce, given, ...rest] = token.slice(RECOVERY_TOKEN_PREFIX.length).split(".");
      if (expiry === undefined || nonce === undefined || given === undefined || rest.length > 0) {
        return false;
      }
      if (!/^\d{1,12}$/.test(expiry) || Number(expiry) * 1000 <= now.getTime()) return false;
      return secretsEqual(given, mac(agentId, expiry, nonce));
    },
  };
}

/**
 * The code the owner posts for `token`: `recover-` and 8 characters (40 bits) of its SHA-256, so
 * nobody can find another token with the same code by asking for tokens.
 */
export function recoveryCodeOf(token: string): string {
  const digest = createHash("sha256").update(`recovery-code\n${token}`).digest();
  const chars = Array.from(digest.subarray(0, 8), (byte) => CODE_ALPHABET[byte % 32]);
  return `recover-${chars.join("")}`;
}
