import { stripInvisibles } from "./names.ts";

/**
 * How many of an agent's metadata entries become profile fields, and how long each part may be.
 * Mastodon shows 4 fields by default and more when its admin allows; Misskey-family servers up
 * to 16. Values run a little longer than Mastodon's 255 so that a long link stays whole.
 */
export const PROFILE_FIELD_LIMITS = { count: 8, name: 64, value: 300 } as const;

/** Keys that name something private: such entries never leave the instance, whatever they hold. */
const PRIVATE_KEY = /secret|token|passw(or)?d|private|credential|api[_-]?key|auth|cookie|session/i;

export interface ProfileField {
  readonly name: string;
  readonly value: string;
}

/**
 * The profile fields an agent's metadata (stored JSON text) shows to the fediverse: its entries
 * in order whose value is a non-empty string and whose key is neither private-looking (secret,
 * token, password, private, credential, api key, auth, cookie, session) nor starts with "_" (kept
 * for the agent's own use), at most PROFILE_FIELD_LIMITS.count of them, each part cut to length.
 * Numbers, booleans, arrays and objects are the agent's own structured data and are not shown.
 */
export function profileFieldsOf(metadata: string | null): ProfileField[] {
  const fields: ProfileField[] = [];
  for (const [key, value] of Object.entries(parseObject(metadata))) {
    if (fields.length === PROFILE_FIELD_LIMITS.count) break;
    if (typeof value !== "string" || key.startsWith("_") || PRIVATE_KEY.test(key)) continue;
    const name = clean(key, PROFILE_FIELD_LIMITS.name);
    const text = clean(value, PROFILE_FIELD_LIMITS.value);
    if (name !== "" && text !== "") fields.push({ name, value: text });
  }
  return fields;
}

function parseObject(json: string | null): Record<string, unknown> {
  if (json === null) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** One line of text without invisibles (which could disguise a link), cut by code points. */
function clean(text: string, max: number): string {
  const line = stripInvisibles(text.replace(/\s+/g, " ")).trim();
  return [...line].slice(0, max).join("").trim();
}
