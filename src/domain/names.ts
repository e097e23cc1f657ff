import { AppError } from "./errors.ts";

// Agents and submolts share one namespace per host (both are ActivityPub actors with @name@host
// handles). Names keep their case for display; uniqueness is case-insensitive through `handle`.

export const AGENT_NAME = /^[A-Za-z0-9_-]{2,32}$/;
export const SUBMOLT_NAME = /^[a-z0-9_-]{2,30}$/;

export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "admin",
  "administrator",
  "mod",
  "mods",
  "moderator",
  "api",
  "www",
  "help",
  "all",
  "popular",
  "moltbook",
  "moltiverse",
  "root",
  "system",
  "support",
  "security",
  "official",
  "staff",
  "actor",
  "inbox",
  "outbox",
  "nodeinfo",
  "well-known",
  "settings",
  "home",
  "feed",
  "search",
  "new",
  "top",
  "hot",
  "rising",
  "random",
  "null",
  "undefined",
  "anonymous",
  // /agents/me/... names the caller: an agent called "me" could not be followed by name.
  "me",
]);

/** The unique, case-insensitive key of an actor: `name@host`, lower-cased. */
export function toHandle(name: string, host: string): string {
  return `${name}@${host}`.toLowerCase();
}

export type ActorReference =
  | { readonly name: string; readonly host: string | undefined; readonly url?: undefined }
  | { readonly url: URL; readonly name?: undefined; readonly host?: undefined };

/** Reads `name`, `name@host` or `@name@host`, or an actor's http(s) URL. */
export function parseActorReference(reference: string): ActorReference {
  const trimmed = reference.trim().replace(/^@/, "");
  if (/^https?:\/\//i.test(trimmed) && URL.canParse(trimmed)) return { url: new URL(trimmed) };
  const at = trimmed.lastIndexOf("@");
  if (at <= 0) return { name: trimmed, host: undefined };
  return { name: trimmed.slice(0, at), host: trimmed.slice(at + 1).toLowerCase() };
}

export function assertAgentName(name: string): void {
  if (name.length < 2 || name.length > 32) {
    throw new AppError("validation_failed", "Name must be 2-32 characters", {
      hint: "Pick a name of 2 to 32 letters, numbers, underscores or hyphens.",
      details: { errors: [{ field: "name", message: "Name must be 2-32 characters" }] },
    });
  }
  if (!AGENT_NAME.test(name)) {
    throw new AppError(
      "validation_failed",
      "Name can only contain letters, numbers, underscores and hyphens",
      {
        hint: "Use only A-Z, a-z, 0-9, _ and -.",
        details: { errors: [{ field: "name", message: "Invalid characters in name" }] },
      },
    );
  }
  if (RESERVED_NAMES.has(name.toLowerCase())) {
    throw new AppError("validation_failed", "This name is reserved", {
      hint: "Choose another name.",
      details: { errors: [{ field: "name", message: "This name is reserved" }] },
    });
  }
}

/** Submolt names are lower-case; mixed-case input is accepted and lower-cased. */
export function normaliseSubmoltName(name: string): string {
  const lower = name.trim().toLowerCase();
  const fail = (message: string, hint: string) =>
    new AppError("validation_failed", message, {
      hint,
      details: { errors: [{ field: "name", message }] },
    });
  if (lower.length < 2 || lower.length > 30) {
    throw fail("Name must be 2-30 characters", "Pick a name of 2 to 30 characters.");
  }
  if (!SUBMOLT_NAME.test(lower)) {
    throw fail(
      "Name can only contain lowercase letters, numbers, underscores and hyphens",
      "Use only a-z, 0-9, _ and -, e.g. tide-watch.",
    );
  }
  if (RESERVED_NAMES.has(lower)) throw fail("This name is reserved", "Choose another name.");
  return lower;
}

// Remote servers choose their actors' names. Shown bare, a remote `admin`, a remote namesake of
// a local agent or a name padded with zero-width characters would pass for someone local: remote
// names are normalised on receipt and always shown with their host.

/** Characters that show nothing, or reorder what is shown (bidi controls), in a name. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

/** What remote names may hold once normalised: the names the fediverse's servers hand out. */
export const REMOTE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** `text` without invisible characters and bidi controls (for remote display names too). */
export function stripInvisibles(text: string): string {
  return text.replace(INVISIBLE, "");
}

/**
 * The name a remote actor is kept under: its preferredUsername, NFKC-normalised (fullwidth and
 * other compatibility forms become plain letters) and stripped of invisibles; when that is not a
 * plain name, the last segment of its actor URL made into one, or "actor".
 */
export function toRemoteName(preferredUsername: string | undefined, actorId: URL): string {
  const clean = (text: string) => stripInvisibles(text.normalize("NFKC"));
  const preferred = clean(preferredUsername ?? "");
  if (REMOTE_NAME.test(preferred)) return preferred;
  const segment = actorId.pathname.split("/").findLast((part) => part !== "") ?? "";
  const fromUrl = clean(safeDecode(segment))
    .replace(/[^A-Za-z0-9_.-]/g, "")
    .slice(0, 64);
  return fromUrl === "" ? "actor" : fromUrl;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** How the API and pages name an agent: bare when local, `name@host` when remote. */
export function publicAgentName(agent: {
  readonly name: string;
  readonly host: string;
  readonly is_local: number;
}): string {
  return agent.is_local === 1 ? agent.name : `${agent.name}@${agent.host}`;
}
