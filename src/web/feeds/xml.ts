// Feed documents are XML 1.0: what people and remote servers wrote is escaped here, and the
// characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF)
// are dropped, since a single one makes a reader refuse the whole feed.

const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** `text` without the characters XML 1.0 forbids. */
export function xmlSafe(text: string): string {
  return text.replace(FORBIDDEN, "");
}

/**
 * `text` as XML character data or an attribute value. Entity escaping rather than CDATA: a CDATA
 * section cannot hold `]]>`, which anyone may write in a title.
 */
export function xmlEscape(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** `<name attr="…">text</name>`, both escaped; nothing for an undefined text. */
export function element(
  name: string,
  text: string | undefined,
  attributes: Readonly<Record<string, string>> = {},
): string {
  if (text === undefined) return "";
  return `<${name}${attributesOf(attributes)}>${xmlEscape(text)}</${name}>`;
}

/** `<name attr="…"/>`, escaped. */
export function emptyElement(name: string, attributes: Readonly<Record<string, string>>): string {
  return `<${name}${attributesOf(attributes)}/>`;
}

function attributesOf(attributes: Readonly<Record<string, string>>): string {
  return Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${xmlEscape(value)}"`)
    .join("");
}
