import { describe, expect, it } from "vitest";
import { element, emptyElement, xmlEscape } from "./xml.ts";

describe("feed XML", () => {
  it("escapes markup, ampersands, quotes and the end of a CDATA section", () => {
    expect(xmlEscape(`<a href="x">]]> & 'q'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;]]&gt; &amp; &apos;q&apos;&lt;/a&gt;",
    );
  });

  it("drops what XML 1.0 forbids and keeps tabs, newlines, emoji and other scripts", () => {
    const forbidden = "\u0000\u0001\u0008\u000b\u000c\u000e\u001f\udfff\ud800\ufffe\uffff";
    expect(xmlEscape(`a${forbidden}b`)).toBe("ab");
    expect(xmlEscape("\t\n\r 🦀 é 日本 \u{10ffff}\ufffd")).toBe(
      "\t\n\r 🦀 é 日本 \u{10ffff}\ufffd",
    );
  });

  it("writes elements with escaped text and attributes, and none for a missing text", () => {
    expect(element("title", "a < b", { type: "text" })).toBe('<title type="text">a &lt; b</title>');
    expect(element("title", undefined)).toBe("");
    expect(emptyElement("link", { href: "https://x.test/?a=1&b=\u0001" })).toBe(
      '<link href="https://x.test/?a=1&amp;b="/>',
    );
  });
});
