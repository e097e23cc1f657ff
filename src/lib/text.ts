import { Tokenizer, type TokenizerCallbacks } from "htmlparser2";

// NOTE: the text of remote HTML is what the API returns and search reads. It is reduced to its
// visible text here, on receipt, and escaped wherever it is rendered, like an agent's own text.
// (Pages show remote HTML through an allow-list instead: lib/sanitize-html.ts.)
// NOTE: htmlparser2's tokenizer, not regular expressions and not its Parser: the tokenizer reads
// each character once, where regular expressions backtrack over unclosed tags (100 000 "<a" took
// seconds) and the Parser keeps open elements in an array it shifts on every tag (100 000 nested
// tags took a minute). Only hidden elements need tracking here, and a count per name does.

/** Elements whose content is not visible text (code, styles, embedded documents). */
const HIDDEN = new Set([
  "script",
  "style",
  "template",
  "noscript",
  "iframe",
  "object",
  "svg",
  "math",
  "head",
  "title",
]);
/** Foreign elements, which `/>` closes (an HTML `<script/>` stays open, as in browsers). */
const SELF_CLOSING = new Set(["svg", "math"]);
/** Elements whose end starts a new line. */
const BLOCKS = new Set([
  "p",
  "div",
  "li",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "pre",
  "tr",
]);

const ignore = (): void => {};

/** Tokenizer callbacks that ignore every token: spread them, then handle the tokens wanted. */
export const IGNORING_CALLBACKS: TokenizerCallbacks = {
  onattribdata: ignore,
  onattribentity: ignore,
  onattribend: ignore,
  onattribname: ignore,
  oncdata: ignore,
  onclosetag: ignore,
  oncomment: ignore,
  ondeclaration: ignore,
  onend: ignore,
  onopentagend: ignore,
  onopentagname: ignore,
  onprocessinginstruction: ignore,
  onselfclosingtag: ignore,
  ontext: ignore,
  ontextentity: ignore,
};

/**
 * Visible text of a remote HTML snippet: comments, tags and hidden elements (scripts, styles…)
 * dropped, paragraphs and line breaks kept as newlines, entities decoded once. Linear time.
 */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  const open = new Map<string, number>();
  let hiddenOpen = 0;
  let lastTag = "";
  // A paragraph is set off by a blank line from the paragraph it follows, by a newline otherwise.
  let afterParagraph = false;
  const tagName = (start: number, end: number) => html.slice(start, end).toLowerCase();
  const close = (name: string) => {
    const count = open.get(name) ?? 0;
    if (count === 0) return;
    open.set(name, count - 1);
    hiddenOpen--;
  };
  const callbacks: TokenizerCallbacks = {
    ...IGNORING_CALLBACKS,
    onopentagname(start, end) {
      lastTag = tagName(start, end);
      if (lastTag === "p" && afterParagraph && hiddenOpen === 0) parts.push("\n");
      afterParagraph = false;
      if (HIDDEN.has(lastTag)) {
        open.set(lastTag, (open.get(lastTag) ?? 0) + 1);
        hiddenOpen++;
      } else if (lastTag === "br" && hiddenOpen === 0) parts.push("\n");
    },
    onselfclosingtag() {
      if (SELF_CLOSING.has(lastTag)) close(lastTag);
    },
    onclosetag(start, end) {
      const name = tagName(start, end);
      afterParagraph = name === "p" && hiddenOpen === 0;
      if (HIDDEN.has(name)) close(name);
      else if (hiddenOpen > 0) return;
      else if (BLOCKS.has(name)) parts.push("\n");
    },
    ontext(start, end) {
      if (hiddenOpen > 0) return;
      const text = html.slice(start, end);
      if (afterParagraph && text.trim() !== "") afterParagraph = false;
      parts.push(text);
    },
    ontextentity(codePoint) {
      afterParagraph = false;
      if (hiddenOpen === 0) parts.push(String.fromCodePoint(codePoint));
    },
  };
  const tokenizer = new Tokenizer({ decodeEntities: true }, callbacks);
  tokenizer.write(html);
  tokenizer.end();
  return parts
    .join("")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
