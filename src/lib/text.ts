// NOTE: remote HTML is never stored or shown as HTML. It is reduced to its visible text here, on
// receipt, and that text is escaped wherever it is rendered, like an agent's own text: the
// strictest allow-list there is (nothing), with no sanitiser to keep up to date.

/** Elements whose content is not visible text (code, styles, embedded documents). */
const HIDDEN =
  /<(script|style|template|noscript|iframe|object|svg|math|head|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
/** A tag, with quoted attribute values that may themselves hold `>`. */
const TAG = /<\/?[a-z!?][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>/gi;
const NAMED: Record<string, string> = {
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  amp: "&",
  nbsp: " ",
};

/**
 * Visible text of a remote HTML snippet: comments, tags and hidden elements (scripts, styles…)
 * dropped, paragraphs and line breaks kept as newlines, entities decoded once.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, "")
    .replace(HIDDEN, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p\b[^>]*>/gi, "\n\n")
    .replace(/<\/(p|div|li|h[1-6]|blockquote|pre|tr)\s*>/gi, "\n")
    .replace(TAG, "")
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => decode(name) ?? entity)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function decode(name: string): string | undefined {
  if (name.startsWith("#")) {
    const code =
      name[1] === "x" || name[1] === "X"
        ? Number.parseInt(name.slice(2), 16)
        : Number(name.slice(1));
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff
      ? String.fromCodePoint(code)
      : undefined;
  }
  return NAMED[name.toLowerCase()];
}
