import { Tokenizer, type TokenizerCallbacks } from "htmlparser2";
import sanitize from "sanitize-html";
import { htmlToText, IGNORING_CALLBACKS } from "./text.ts";

// NOTE: remote HTML is kept for our pages through an allow-list: the text formatting fediverse
// servers send (paragraphs, links, emphasis, lists, code, quotes, headings) and the microformat
// classes Mastodon marks mentions and hashtags with. Nothing that loads, runs or styles anything.
// NOTE: sanitize-html parses with htmlparser2's Parser, whose open-element stack costs time in
// proportion to its depth on every tag: 87 000 nested tags took over a second, 300 000 a minute.
// A linear pre-scan with the tokenizer (the one lib/text.ts reads with) bounds depth and tag
// count first; markup past either bound is kept as its visible text, in paragraphs.

/** Past these, markup is kept as its text. Far above what any post's formatting needs. */
export const SANITIZE_LIMITS = { depth: 100, elements: 10_000 } as const;

const ALLOWED_TAGS = [
  "a",
  "br",
  "p",
  "span",
  "strong",
  "b",
  "em",
  "i",
  "del",
  "s",
  "blockquote",
  "code",
  "pre",
  "ul",
  "ol",
  "li",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
];
/** The microformats Mastodon (and servers copying it) mark mentions, hashtags and long links with. */
const MICROFORMATS = ["mention", "hashtag", "u-url", "h-card", "invisible", "ellipsis"];
const LINK_SCHEMES = new Set(["http:", "https:", "mailto:"]);
/** Disallowed elements whose text is not visible text either (dropped with their content). */
const NON_TEXT = [
  "script",
  "style",
  "textarea",
  "option",
  "noscript",
  "template",
  "title",
  "head",
  // sanitize-html re-reads a dropped iframe's content as markup, past the pre-scan (which
  // reads it as text, as browsers do): dropping it keeps the bound.
  "iframe",
  "object",
  "svg",
  "math",
];
/** Elements that are never open (no end tag), so add no depth. */
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);
const LINK_REL = "nofollow noopener ugc";

const OPTIONS: sanitize.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ["href", "rel", "class"], span: ["class"] },
  allowedClasses: { a: MICROFORMATS, span: MICROFORMATS },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  nonTextTags: NON_TEXT,
  transformTags: { a: toSafeLink },
};

/** A link keeps only an absolute http(s) or mailto address, and never passes on our rank. */
function toSafeLink(tagName: string, attribs: sanitize.Attributes): sanitize.Tag {
  const { href, class: classes } = attribs;
  const url = href === undefined ? null : URL.parse(href.trim());
  const safe: sanitize.Attributes = { rel: LINK_REL };
  if (url !== null && LINK_SCHEMES.has(url.protocol)) safe.href = url.href;
  if (classes !== undefined) safe.class = classes;
  return { tagName, attribs: safe };
}

/**
 * Remote HTML as HTML safe to put in a page: allowed elements and attributes only, links made
 * `rel="nofollow noopener ugc"`, other elements replaced by their text. Linear time: markup too
 * deep or with too many elements becomes its escaped text in paragraphs.
 */
export function sanitizeRemoteHtml(html: string): string {
  if (!isWithinLimits(html)) return textToHtml(htmlToText(html));
  return sanitize(html, OPTIONS);
}

/** Plain text as HTML: escaped, blank lines separating paragraphs, newlines kept as breaks. */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim() !== "")
    .map((paragraph) => `<p>${escapeHtml(paragraph).replaceAll("\n", "<br />")}</p>`)
    .join("");
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * Whether the Parser's open elements stay within SANITIZE_LIMITS.depth and the markup holds at
 * most SANITIZE_LIMITS.elements elements. The depth counted is never below the Parser's: an end
 * tag closes one element of its name only if one was opened (the Parser may close more).
 */
function isWithinLimits(html: string): boolean {
  const open = new Map<string, number>();
  let depth = 0;
  let elements = 0;
  let within = true;
  const tokenizer = new Tokenizer({ decodeEntities: true }, {
    ...IGNORING_CALLBACKS,
    onopentagname(start, end) {
      const name = html.slice(start, end).toLowerCase();
      elements++;
      if (!VOID.has(name)) {
        open.set(name, (open.get(name) ?? 0) + 1);
        depth++;
      }
      if (elements > SANITIZE_LIMITS.elements || depth > SANITIZE_LIMITS.depth) {
        within = false;
        tokenizer.pause();
      }
    },
    onclosetag(start, end) {
      const name = html.slice(start, end).toLowerCase();
      const count = open.get(name) ?? 0;
      if (count === 0) return;
      open.set(name, count - 1);
      depth--;
    },
  } satisfies TokenizerCallbacks);
  tokenizer.write(html);
  if (within) tokenizer.end();
  return within;
}
