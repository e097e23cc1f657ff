import { describe, expect, it } from "vitest";
import { SANITIZE_LIMITS, sanitizeRemoteHtml, textToHtml } from "./sanitize-html.ts";

const REL = 'rel="nofollow noopener ugc"';

describe("sanitizeRemoteHtml keeps", () => {
  it("paragraphs, breaks, emphasis, quotes, lists, code and headings", () => {
    const html =
      "<h2>Tides</h2><p>a<br />b <strong>s</strong> <b>b</b> <em>e</em> <i>i</i> <del>d</del> <s>s</s></p>" +
      "<blockquote><p>q</p></blockquote><ul><li>one</li></ul><ol><li>two</li></ol>" +
      "<pre><code>x &lt; y</code></pre><hr />";
    expect(sanitizeRemoteHtml(html)).toBe(html);
  });

  it("links to http, https and mailto addresses, each marked nofollow and opening nothing", () => {
    expect(
      sanitizeRemoteHtml(
        '<a href="https://x.example/a?b=1&amp;c=2" target="_blank" rel="me">x</a>' +
          '<a href="http://y.example/">y</a><a href="mailto:z@z.example">z</a>',
      ),
    ).toBe(
      `<a ${REL} href="https://x.example/a?b=1&amp;c=2">x</a>` +
        `<a ${REL} href="http://y.example/">y</a><a ${REL} href="mailto:z@z.example">z</a>`,
    );
  });

  it("Mastodon's mention, hashtag and long-link markup", () => {
    const mention =
      '<span class="h-card" translate="no"><a href="https://m.example/@ann" class="u-url mention">@<span>ann</span></a></span>';
    const hashtag =
      '<a href="https://m.example/tags/tide" class="mention hashtag" rel="tag">#<span>tide</span></a>';
    const link =
      '<a href="https://kde.org/donate/" target="_blank" rel="nofollow noopener noreferrer"><span class="invisible">https://</span><span class="ellipsis">kde.org/do</span><span class="invisible">nate/</span></a>';
    expect(sanitizeRemoteHtml(`<p>${mention} ${hashtag} ${link}</p>`)).toBe(
      `<p><span class="h-card"><a ${REL} href="https://m.example/@ann" class="u-url mention">@<span>ann</span></a></span> ` +
        `<a ${REL} href="https://m.example/tags/tide" class="mention hashtag">#<span>tide</span></a> ` +
        `<a ${REL} href="https://kde.org/donate/"><span class="invisible">https://</span><span class="ellipsis">kde.org/do</span><span class="invisible">nate/</span></a></p>`,
    );
  });

  it("the text of unknown and dropped elements, escaped", () => {
    expect(sanitizeRemoteHtml("<div><custom>kept</custom> <u>under</u> &lt;b&gt;</div>")).toBe(
      "kept under &lt;b&gt;",
    );
  });
});

describe("sanitizeRemoteHtml removes", () => {
  it.each([
    ["a script", "<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"],
    ["a style sheet", "<style>p{display:none}</style><p>a</p>", "<p>a</p>"],
    ["style attributes", '<p style="color:red">a</p>', "<p>a</p>"],
    ["event handlers", '<p onclick="x()">a<b onmouseover="y()">b</b></p>', "<p>a<b>b</b></p>"],
    ["images", '<p>a<img src="https://x.example/i.png" onerror="x()">b</p>', "<p>ab</p>"],
    ["iframes and what they hold", '<iframe src="https://x.example"><b>in</b></iframe>a', "a"],
    ["embedded documents", "<object><p>o</p></object><svg><a>s</a></svg><math>m</math>a", "a"],
    ["forms", '<form action="https://x.example"><input name="q"><button>go</button></form>', "go"],
    [
      "classes other than microformats",
      '<p class="x"><a class="x mention">m</a></p>',
      `<p><a ${REL} class="mention">m</a></p>`,
    ],
    ["unknown attributes", '<p id="x" title="t" data-x="1">a</p>', "<p>a</p>"],
  ])("%s", (_name, html, expected) => {
    expect(sanitizeRemoteHtml(html)).toBe(expected);
  });

  it.each([
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:x",
    "//evil.example/path",
    "/relative/path",
    "ftp://x.example/",
  ])("the address of a link to %s", (href) => {
    expect(sanitizeRemoteHtml(`<a href="${href.replaceAll('"', "&quot;")}">x</a>`)).toBe(
      `<a ${REL}>x</a>`,
    );
  });

  it("markup hidden in entities and attribute values stays text", () => {
    const out = sanitizeRemoteHtml(
      '<p title="&quot;><script>x()</script>">&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
    expect(out).toBe("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  });
});

describe("textToHtml", () => {
  it("escapes text and keeps its paragraphs and line breaks", () => {
    expect(textToHtml('a <b> & "c"\nd\n\n\ne')).toBe(
      "<p>a &lt;b&gt; &amp; &quot;c&quot;<br />d</p><p>e</p>",
    );
  });
});

// The same hostile inputs and budget as lib/text.test.ts, each about a mebibyte (more than the
// 256 KiB of remote markup ever read): htmlparser2's Parser took over a second for 87 000 nested
// tags and a minute for 300 000.
const MiB = 1024 * 1024;
const HOSTILE: Record<string, string> = {
  "1 000 000 characters of unclosed <a": "<a".repeat(500_000),
  "tags nested 300 000 deep": `${"<div><span><b>".repeat(100_000)}deep`,
  "allowed tags nested 300 000 deep": `${"<p><b><em>".repeat(100_000)}deep`,
  "tags nested 300 000 deep inside an iframe": `<iframe>${"<b>".repeat(300_000)}`,
  "hidden elements nested 200 000 deep": `${"<svg>".repeat(200_000)}deep`,
  "300 000 sibling tags": "<b>x</b>".repeat(300_000),
  "a tag with a 1 MiB attribute": `<a href="https://x.example/${"x".repeat(MiB)}">link</a>`,
  "a tag with 300 000 attributes": `<a ${"x ".repeat(300_000)}>`,
  "an unterminated double-quoted attribute": `<a title="${"<a ".repeat(MiB / 3)}`,
  "an unterminated comment": `<!--${"<a>".repeat(MiB / 3)}`,
  "250 000 comment openings": "<!--".repeat(250_000),
  "an unclosed script": `<script>${"<a".repeat(MiB / 2)}`,
  "250 000 line breaks and paragraphs": "<br></p><p>".repeat(100_000),
  "a link address of 150 000 HTML comments": `<a href="${"<!---->".repeat(150_000)}">x</a>`,
  "unclosed noscripts inside closing elements": "<b><noscript></b>".repeat(60_000),
};

describe("sanitizeRemoteHtml on hostile markup", () => {
  it.each(Object.entries(HOSTILE))("reads %s in linear time", (_name, html) => {
    const started = performance.now();
    const out = sanitizeRemoteHtml(html);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(out).not.toMatch(/<(script|iframe|svg|img)/);
  });

  const { depth, elements } = SANITIZE_LIMITS;
  it("keeps markup just within its limits as markup, in linear time", () => {
    // Nesting just under the depth limit, as many times as the element limit allows, and the
    // deepest nesting with every other element a sibling at the bottom.
    const nested = `${"<b>".repeat(depth - 1)}x${"</b>".repeat(depth - 1)}`;
    const deepest = `${"<blockquote>".repeat(depth - 1)}${"<i>x</i>".repeat(elements - depth)}`;
    for (const html of [nested.repeat(Math.floor(elements / (depth - 1))), deepest]) {
      const started = performance.now();
      const out = sanitizeRemoteHtml(html);
      expect(performance.now() - started).toBeLessThan(3000);
      expect(out.startsWith("<b><b>") || out.startsWith("<blockquote><blockquote>")).toBe(true);
    }
  });

  it("keeps markup past its limits as its escaped text in paragraphs", () => {
    expect(sanitizeRemoteHtml(`${"<b>".repeat(depth + 1)}x<br>&lt;y&gt;`)).toBe(
      "<p>x<br />&lt;y&gt;</p>",
    );
    expect(sanitizeRemoteHtml(`<p>${"<i>a</i>".repeat(elements)}</p>`)).toBe(
      `<p>${"a".repeat(elements)}</p>`,
    );
    // Void elements and closed ones add no depth.
    const flat = `${"<br>".repeat(depth * 2)}${"<p>x</p>".repeat(depth * 2)}`;
    expect(sanitizeRemoteHtml(flat)).toBe(flat.replaceAll("<br>", "<br />"));
  });
});
