import { DomUtils, Parser, parseDocument } from "htmlparser2";

// htmlparser2 is forgiving: it closes what was left open and reads `&` alone as text. A feed
// reader is not, so the checks it does not make are made here: every element closed by its own
// end tag, every `&` a reference, no character XML 1.0 forbids.

export type XmlElement = ReturnType<typeof DomUtils.getElementsByTagName>[number];

/** The problems that would make a strict XML 1.0 parser refuse `xml`; empty when none. */
export function wellFormednessErrors(xml: string): string[] {
  const errors: string[] = [];
  if (!xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')) errors.push("no XML declaration");
  const forbidden = xml.match(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u);
  if (forbidden !== null) errors.push(`forbidden character U+${forbidden[0].codePointAt(0)}`);
  const bareAmpersand = xml.match(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/);
  if (bareAmpersand !== null) errors.push(`bare & at ${bareAmpersand.index}`);
  if (/<!\[CDATA\[/.test(xml)) errors.push("CDATA section (checked no further here)");
  const open: string[] = [];
  let roots = 0;
  let endTags = 0;
  const parser: Parser = new Parser(
    {
      onopentag(name) {
        if (open.length === 0) roots++;
        open.push(name);
      },
      onclosetag(name, isImplied) {
        const expected = open.pop();
        if (expected !== name) errors.push(`</${name}> closes <${expected}>`);
        // htmlparser2 calls a self-closed element's close implied, as it does a close it invents.
        const source = xml.slice(parser.startIndex, parser.endIndex + 1);
        if (!isImplied) endTags++;
        else if (!source.endsWith("/>")) errors.push(`<${name}> closed by implication`);
      },
      ontext(text) {
        if (open.length === 0 && text.trim() !== "") errors.push("text outside the root");
        if (text.includes("<")) errors.push("< in text");
      },
    },
    { xmlMode: true, recognizeSelfClosing: true, decodeEntities: false },
  );
  parser.end(xml);
  if (open.length > 0) errors.push(`unclosed: ${open.join(", ")}`);
  if (roots !== 1) errors.push(`${roots} root elements`);
  // An end tag matching no open element is passed over in silence: count them.
  const written = xml.match(/<\/[^>]*>/g)?.length ?? 0;
  if (written !== endTags) errors.push(`${written - endTags} end tags match no element`);
  return errors;
}

/** The document's elements, to read its structure. */
export function parseXml(xml: string) {
  const doc = parseDocument(xml, { xmlMode: true });
  const all = (name: string, within: XmlElement | typeof doc = doc) =>
    DomUtils.getElementsByTagName(name, within, true);
  const one = (name: string, within: XmlElement | typeof doc = doc): XmlElement => {
    const found = all(name, within)[0];
    if (found === undefined) throw new Error(`no <${name}>`);
    return found;
  };
  /** The text of the first `name` child of `within` (entities decoded); undefined when absent. */
  const text = (name: string, within: XmlElement | typeof doc = doc): string | undefined => {
    const found = DomUtils.getElementsByTagName(name, within.children, false)[0];
    return found === undefined ? undefined : DomUtils.textContent(found);
  };
  return { doc, all, one, text, attr: DomUtils.getAttributeValue };
}
