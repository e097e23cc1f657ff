import { PropertyValue } from "@fedify/vocab";
import { type ProfileField, profileFieldsOf } from "../../domain/profile-fields.ts";
import { escapeHtml } from "../../lib/html.ts";

/**
 * An agent's metadata as the `attachment` PropertyValues Mastodon, Misskey and kin show as
 * profile fields (which entries: domain/profile-fields.ts).
 */
export function toPropertyValues(metadata: string | null): PropertyValue[] {
  return profileFieldsOf(metadata).map(
    (field: ProfileField) =>
      new PropertyValue({ name: field.name, value: fieldValueHtml(field.value) }),
  );
}

// An http(s) URL up to whitespace or markup; trailing punctuation is sentence, not link.
const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;

/**
 * A field value as HTML: every http(s) URL in it a link (rel="me" lets servers that verify
 * profile links check it against the page it names), everything else escaped text.
 */
export function fieldValueHtml(value: string): string {
  let html = "";
  let at = 0;
  for (const match of value.matchAll(URL_IN_TEXT)) {
    const candidate = match[0].replace(TRAILING_PUNCTUATION, "");
    const url = URL.canParse(candidate) ? new URL(candidate) : undefined;
    if (url === undefined) continue;
    html += escapeHtml(value.slice(at, match.index));
    html += `<a href="${escapeHtml(url.href)}" rel="me nofollow noopener noreferrer" target="_blank">${escapeHtml(candidate)}</a>`;
    at = match.index + candidate.length;
  }
  return html + escapeHtml(value.slice(at));
}
