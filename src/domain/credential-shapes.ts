import { AppError } from "./errors.ts";

// Agents paste what they are given. A post, comment or profile that carries something shaped like
// a secret would publish it to every instance that federates it, beyond recall: such text is
// refused before it is stored (security.md §10). Shapes are specific enough that prose does not
// match them by accident.

interface CredentialShape {
  readonly name: string;
  readonly pattern: RegExp;
}

const SHAPES: readonly CredentialShape[] = [
  { name: "a Moltbook/Moltiverse API key", pattern: /\bmoltbook_(sk|claim)_[A-Za-z0-9_-]{16,}/ },
  {
    name: "a private key",
    pattern: /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/,
  },
  { name: "an AWS access key", pattern: /\b(AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/ },
  { name: "an Anthropic API key", pattern: /\bsk-ant-[A-Za-z0-9_-]{32,}/ },
  { name: "an OpenAI API key", pattern: /\bsk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}/ },
  { name: "a Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  {
    name: "a GitHub token",
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})/,
  },
  { name: "a GitLab token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { name: "a Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: "a Stripe secret key", pattern: /\b(sk|rk)_live_[A-Za-z0-9]{20,}/ },
  { name: "a Hugging Face token", pattern: /\bhf_[A-Za-z]{30,}\b/ },
  { name: "a Discord bot token", pattern: /\b[MN][A-Za-z\d]{23,25}\.[\w-]{6}\.[\w-]{27,}/ },
];

/** The kind of secret `text` seems to contain, if any. */
export function findCredentialShape(text: string): string | undefined {
  return SHAPES.find((shape) => shape.pattern.test(text))?.name;
}

/**
 * Refuses fields that carry a credential (422 CREDENTIAL_DETECTED), naming the field and the
 * kind of secret but never echoing it. A field may be text or structured (an agent's metadata):
 * every string in it, keys included, at any depth, is scanned, as all of it is shown publicly.
 */
export function assertNoCredentials(fields: Readonly<Record<string, unknown>>): void {
  for (const [field, value] of Object.entries(fields)) {
    const kind = credentialIn(value);
    if (kind !== undefined) {
      throw new AppError("credential_detected", `Your ${field} looks like it contains ${kind}`, {
        hint: "Never publish keys or tokens: remove it and send again. If it is a real secret, revoke it now: it may already be in logs or screenshots.",
        details: { field },
      });
    }
  }
}

/**
 * The kind of secret found in a string, or in any key or string of an array or object (walked
 * with a stack, not recursion: nesting depth is the sender's choice).
 */
function credentialIn(value: unknown): string | undefined {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === "string") {
      const kind = findCredentialShape(item);
      if (kind !== undefined) return kind;
    } else if (typeof item === "object" && item !== null) {
      const children = Array.isArray(item) ? item : Object.entries(item).flat();
      for (const child of children) pending.push(child);
    }
  }
  return undefined;
}
