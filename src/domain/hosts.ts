import { getDomain } from "tldts";
import { AppError } from "./errors.ts";

// Instance blocks name hosts as URLs write them (`evil.example`, `127.0.0.1:8002`), lower-cased.
// A block covers the host's subdomains too: an instance that can mint `x.evil.example` at will
// would otherwise walk around its block.

/**
 * Reads an instance as an operator writes it: a host (`evil.example`) or any URL on it
 * (`https://evil.example/@someone`). Throws validation_failed for anything else.
 */
export function parseInstanceHost(input: string): string {
  const text = input.trim().toLowerCase();
  const candidate = /^https?:\/\//.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw invalidHost(input);
  }
  const bare = !/^https?:\/\//.test(text);
  if (url.host === "" || (bare && url.host !== text) || !/^[a-z0-9.[\]:-]+$/.test(url.host)) {
    throw invalidHost(input);
  }
  return url.host;
}

/** `a.b.example` → [`a.b.example`, `b.example`, `example`]: the blocks that would cover it. */
export function hostSuffixes(host: string): string[] {
  const lower = host.toLowerCase();
  if (lower.startsWith("[")) return [lower]; // an IPv6 literal has no parent domain
  const labels = lower.split(".");
  return labels.map((_, i) => labels.slice(i).join(".")).filter((h) => h !== "");
}

/**
 * The registrable domain of a host (`a.example.social` → `example.social`, public suffix list
 * with its private part, so `someone.github.io` stays itself); the host itself for IP literals
 * and names without one (`localhost`). What a remote instance can mint subdomains under.
 */
export function registrableDomain(hostname: string): string {
  const host = hostname.toLowerCase();
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

function invalidHost(input: string): AppError {
  return new AppError("validation_failed", `Not an instance host: ${JSON.stringify(input)}`, {
    hint: "Give a host such as evil.example (or any URL on it).",
  });
}
