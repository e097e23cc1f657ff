// RFC 9421 HTTP Message Signatures, the part agents use: one signature in `Signature-Input` /
// `Signature`, over derived components (@method, @target-uri, …) and headers, with `created`,
// `keyid` and `alg` parameters. Parsing and the signature base only; no I/O.

export interface MessageSignature {
  readonly label: string;
  /** Covered components in order, lower-case, without quotes: "@method", "content-digest", … */
  readonly components: readonly string[];
  readonly created: number | undefined;
  readonly expires: number | undefined;
  readonly keyId: string | undefined;
  readonly alg: string | undefined;
  /** The inner list with its parameters exactly as sent: the `@signature-params` value. */
  readonly params: string;
  readonly signature: Uint8Array;
}

const LABEL = /^[a-z*][a-z0-9_\-.*]*$/;

/** Parses the first signature of the headers, or explains what is wrong with them. */
export function parseMessageSignature(
  signatureInput: string,
  signatureHeader: string,
): MessageSignature | { readonly problem: string } {
  const input = firstMember(signatureInput);
  if (input === undefined) return { problem: "Signature-Input has no signature" };
  const { label, value } = input;
  const list = /^\(([^)]*)\)((?:;.*)?)$/.exec(value);
  if (list === null) return { problem: "Signature-Input must be a list of components" };
  const components = (list[1] ?? "").trim() === "" ? [] : (list[1] ?? "").trim().split(/\s+/);
  if (!components.every((c) => /^"[^"]+"$/.test(c))) {
    return { problem: "Signature-Input components must be quoted strings" };
  }
  const params = parseParameters(list[2] ?? "");
  if (params === undefined) return { problem: "Signature-Input parameters are malformed" };
  const signature = members(signatureHeader).find((m) => m.label === label);
  const bytes = signature && /^:([A-Za-z0-9+/]+={0,2}):$/.exec(signature.value)?.[1];
  if (bytes === undefined) return { problem: `Signature has no byte sequence labelled ${label}` };
  return {
    label,
    components: components.map((c) => c.slice(1, -1).toLowerCase()),
    created: integer(params.get("created")),
    expires: integer(params.get("expires")),
    keyId: text(params.get("keyid")),
    alg: text(params.get("alg")),
    params: value,
    signature: new Uint8Array(Buffer.from(bytes, "base64")),
  };
}

/**
 * The signature base (RFC 9421 §2.5): one line per covered component with its value, then the
 * parameters. Undefined when a covered component has no value in this request.
 */
export function signatureBase(
  signature: MessageSignature,
  componentValue: (component: string) => string | undefined,
): string | undefined {
  const lines: string[] = [];
  for (const component of signature.components) {
    const value = componentValue(component);
    if (value === undefined) return undefined;
    lines.push(`"${component}": ${value}`);
  }
  lines.push(`"@signature-params": ${signature.params}`);
  return lines.join("\n");
}

/** The `sha-256` and `sha-512` digests a Content-Digest header names, base64 by algorithm. */
export function parseContentDigest(header: string): Map<string, string> {
  const digests = new Map<string, string>();
  for (const { label, value } of members(header)) {
    const bytes = /^:([A-Za-z0-9+/]+={0,2}):$/.exec(value)?.[1];
    if (bytes !== undefined) digests.set(label, bytes);
  }
  return digests;
}

interface Member {
  readonly label: string;
  readonly value: string;
}

function firstMember(header: string): Member | undefined {
  return members(header)[0];
}

/** Dictionary members `label=value`, split at commas outside quotes and parentheses. */
function members(header: string): Member[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < header.length; i++) {
    const char = header[i];
    if (char === '"' && header[i - 1] !== "\\") quoted = !quoted;
    else if (!quoted && char === "(") depth++;
    else if (!quoted && char === ")") depth--;
    else if (!quoted && depth === 0 && char === ",") {
      parts.push(header.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(header.slice(start));
  return parts.flatMap((part) => {
    const trimmed = part.trim();
    const eq = trimmed.indexOf("=");
    const label = trimmed.slice(0, eq);
    return eq > 0 && LABEL.test(label) ? [{ label, value: trimmed.slice(eq + 1) }] : [];
  });
}

type Bare = string | number;

/** `;name=value` parameters: integers, quoted strings, tokens. */
function parseParameters(text: string): Map<string, Bare> | undefined {
  const params = new Map<string, Bare>();
  const pattern = /;\s*([a-z*][a-z0-9_\-.*]*)=("(?:[^"\\]|\\.)*"|-?\d{1,15}|[A-Za-z*][^;\s]*)/gy;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    const [whole, name = "", raw = ""] = match;
    params.set(
      name,
      raw.startsWith('"')
        ? raw.slice(1, -1).replace(/\\(.)/g, "$1")
        : /^-?\d+$/.test(raw)
          ? Number(raw)
          : raw,
    );
    consumed += whole.length;
  }
  return consumed === text.length ? params : undefined;
}

function integer(value: Bare | undefined): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function text(value: Bare | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}
