import type { AgentRow } from "../../db/schema.ts";
import { AppError } from "../../domain/errors.ts";
import type { ServiceContext } from "../../services/context.ts";
import { acceptSignatureOnce, findSigningKey } from "../../services/signing-keys.ts";
import type { ApiContext } from "../context.ts";
import {
  type MessageSignature,
  parseContentDigest,
  parseMessageSignature,
  signatureBase,
} from "../message-signature.ts";

/** How far `created` may be from the server's clock, either way. */
export const SIGNATURE_WINDOW_SECONDS = 300;

const HINT =
  'Sign "@method", "@target-uri" (the exact URL you call) and, with a body, "content-digest", with created=<now> and your keyid; see /skill.md, “sign your requests”.';

/**
 * Verifies an agent's RFC 9421 signature on a client API request: well formed, fresh, covering
 * the method, the URL and the body's digest, made by a live key, and never seen before. Any
 * failure is a 401 that says which check failed; nothing about the request is applied.
 */
export async function verifyAgentSignature(
  c: ApiContext,
  services: ServiceContext,
  publicOrigin: URL,
): Promise<{ agent: AgentRow; keyId: string }> {
  const parsed = parseMessageSignature(
    c.req.header("signature-input") ?? "",
    c.req.header("signature") ?? "",
  );
  if ("problem" in parsed) throw refused("Malformed signature", `${parsed.problem}. ${HINT}`);
  const keyId = parsed.keyId;
  if (keyId === undefined) throw refused("Malformed signature", `keyid is missing. ${HINT}`);
  if (parsed.alg !== undefined && parsed.alg !== "ed25519") {
    throw refused("Unsupported signature algorithm", 'Sign with Ed25519 (alg="ed25519").');
  }
  assertFresh(parsed, Math.floor(services.clock.now().getTime() / 1000));
  for (const required of ["@method", "@target-uri"]) {
    if (!parsed.components.includes(required)) {
      throw refused("Malformed signature", `The signature must cover "${required}". ${HINT}`);
    }
  }
  await assertBodyDigest(c, parsed);
  const key = await findSigningKey(services, keyId);
  if (key === undefined) {
    throw refused(
      "Unknown or revoked signing key",
      "Check the keyid: it is the key_id the instance gave for your public key (GET /agents/me/keys).",
    );
  }
  if (!(await verifiesForSomeTarget(c, parsed, key.publicKey, publicOrigin))) {
    throw refused("Invalid signature", HINT);
  }
  const validUntil = new Date(((parsed.created ?? 0) + SIGNATURE_WINDOW_SECONDS) * 1000);
  if (!(await acceptSignatureOnce(services, keyId, parsed.signature, validUntil))) {
    throw refused(
      "Signature already used",
      "Sign every request afresh: each signature is accepted once.",
    );
  }
  return { agent: key.agent, keyId };
}

function assertFresh(signature: MessageSignature, now: number): void {
  if (signature.created === undefined) {
    throw refused("Malformed signature", `created is missing. ${HINT}`);
  }
  const expired = signature.expires !== undefined && signature.expires < now;
  if (Math.abs(now - signature.created) > SIGNATURE_WINDOW_SECONDS || expired) {
    throw refused(
      "Signature expired",
      `created must be within ${SIGNATURE_WINDOW_SECONDS} seconds of the server's time (now ${now}): sign each request as you send it, and check your clock.`,
    );
  }
}

/** A request with a body must cover its Content-Digest, and the digest must be the body's. */
async function assertBodyDigest(c: ApiContext, signature: MessageSignature): Promise<void> {
  const body = new Uint8Array(await c.req.arrayBuffer());
  const header = c.req.header("content-digest");
  if (body.length === 0 && header === undefined) return;
  if (!signature.components.includes("content-digest") || header === undefined) {
    throw refused(
      "Malformed signature",
      `A request with a body must send and sign Content-Digest. ${HINT}`,
    );
  }
  const digests = parseContentDigest(header);
  const checks = [
    ["sha-256", "SHA-256"],
    ["sha-512", "SHA-512"],
  ] as const;
  let checked = false;
  for (const [label, algorithm] of checks) {
    const claimed = digests.get(label);
    if (claimed === undefined) continue;
    checked = true;
    const actual = Buffer.from(await crypto.subtle.digest(algorithm, body)).toString("base64");
    if (actual !== claimed) throw refused("Content-Digest does not match the body", HINT);
  }
  if (!checked)
    throw refused(
      "Malformed signature",
      "Content-Digest must give sha-256=:<base64>: of the body.",
    );
}

/**
 * Tries the URL as received and as addressed to the public origin: behind a reverse proxy the
 * server sees an internal URL, while the agent signed the one it called.
 */
async function verifiesForSomeTarget(
  c: ApiContext,
  signature: MessageSignature,
  publicKey: Uint8Array,
  publicOrigin: URL,
): Promise<boolean> {
  const received = new URL(c.req.url);
  const targets = new Set([
    received.href,
    new URL(`${received.pathname}${received.search}`, publicOrigin).href,
  ]);
  for (const target of targets) {
    const base = signatureBase(signature, (component) =>
      componentValue(c, component, new URL(target)),
    );
    if (base === undefined) {
      throw refused(
        "Malformed signature",
        "The signature covers a component this request does not have.",
      );
    }
    if (await verifyEd25519(publicKey, signature.signature, base)) return true;
  }
  return false;
}

function componentValue(c: ApiContext, component: string, target: URL): string | undefined {
  switch (component) {
    case "@method":
      return c.req.method.toUpperCase();
    case "@target-uri":
      return target.href;
    case "@authority":
      return target.host;
    case "@scheme":
      return target.protocol.slice(0, -1);
    case "@path":
      return target.pathname;
    case "@query":
      return target.search === "" ? "?" : target.search;
    case "@request-target":
      return `${target.pathname}${target.search}`;
    default:
      return component.startsWith("@") ? undefined : c.req.header(component)?.trim();
  }
}

/** Imported public keys, by their bytes: importing costs more than verifying. */
const importedKeys = new Map<string, Promise<CryptoKey>>();
const MAX_IMPORTED_KEYS = 10_000;

async function verifyEd25519(
  publicKey: Uint8Array,
  signature: Uint8Array,
  base: string,
): Promise<boolean> {
  const id = Buffer.from(publicKey).toString("base64");
  let key = importedKeys.get(id);
  if (key === undefined) {
    if (importedKeys.size >= MAX_IMPORTED_KEYS) importedKeys.clear();
    key = crypto.subtle.importKey(
      "raw",
      publicKey as Uint8Array<ArrayBuffer>,
      { name: "Ed25519" },
      false,
      ["verify"],
    );
    importedKeys.set(id, key);
  }
  return crypto.subtle.verify(
    "Ed25519",
    await key,
    signature as Uint8Array<ArrayBuffer>,
    new TextEncoder().encode(base),
  );
}

function refused(message: string, hint: string): AppError {
  return new AppError("unauthenticated", message, { hint });
}
