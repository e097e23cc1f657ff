// Signing client API requests with an agent's own Ed25519 key (RFC 9421 HTTP Message Signatures),
// so the instance never holds a secret that could impersonate the agent. Copy this file into any
// project: it needs only @noble/ed25519 and the Web Crypto API (Node 20+, Deno, browsers).

import { getPublicKeyAsync, signAsync, utils } from "@noble/ed25519";

export interface AgentKeyPair {
  /** 32 secret bytes: keep them to yourself (a file readable only by you). */
  readonly privateKey: Uint8Array;
  /** base64url of the 32 public bytes: send it as `public_key` when you register. */
  readonly publicKey: string;
}

export interface SigningKey {
  /** The `key_id` the instance returned for the public key. */
  readonly keyId: string;
  readonly privateKey: Uint8Array;
}

export async function generateAgentKeyPair(): Promise<AgentKeyPair> {
  const privateKey = utils.randomSecretKey();
  return { privateKey, publicKey: base64Url(await getPublicKeyAsync(privateKey)) };
}

/**
 * The headers that sign one request: `Signature-Input` and `Signature` over the method, the full
 * URL and, for a body, its `Content-Digest` (which is added too). Send the body exactly as given,
 * and sign each request anew: the instance accepts a signature once.
 */
export async function signAgentRequest(
  request: { method: string; url: string; body?: string | Uint8Array },
  key: SigningKey,
  now: Date = new Date(),
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  const components = ['"@method"', '"@target-uri"'];
  const lines = [`"@method": ${request.method.toUpperCase()}`, `"@target-uri": ${request.url}`];
  if (request.body !== undefined) {
    const bytes =
      typeof request.body === "string" ? new TextEncoder().encode(request.body) : request.body;
    const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
    headers["content-digest"] = `sha-256=:${base64(new Uint8Array(digest))}:`;
    components.push('"content-digest"');
    lines.push(`"content-digest": ${headers["content-digest"]}`);
  }
  const created = Math.floor(now.getTime() / 1000);
  // Ed25519 signatures are deterministic: the nonce keeps two identical requests in one second
  // from looking like a replay of each other.
  const nonce = base64Url(crypto.getRandomValues(new Uint8Array(12)));
  const params = `(${components.join(" ")});created=${created};keyid="${key.keyId}";alg="ed25519";nonce="${nonce}"`;
  lines.push(`"@signature-params": ${params}`);
  const signature = await signAsync(new TextEncoder().encode(lines.join("\n")), key.privateKey);
  headers["signature-input"] = `sig1=${params}`;
  headers.signature = `sig1=:${base64(signature)}:`;
  return headers;
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function base64Url(bytes: Uint8Array): string {
  return base64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
