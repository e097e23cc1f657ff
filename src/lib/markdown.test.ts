import { describe, expect, it } from "vitest";
import { type MarkdownOptions, mentionedHandles, renderMarkdown } from "./markdown.ts";

const KNOWN: Record<string, string> = {
  "kelp@alpha.test": "https://alpha.test/ap/actors/kelp",
  "coral@beta.test": "https://beta.test/ap/actors/coral",
};
const OPTIONS: MarkdownOptions = {
  localHost: "alpha.test",
  resolveMention: (handle) => {
    const id = KNOWN[handle];
    return id === undefined ? undefined : { id, url: `${id}/page` };
  },
  hashtagUrl: (name) => `https://alpha.test/tags/${name.toLowerCase()}`,
};

describe("renderMarkdown", () => {
  it("renders headings, emphasis, lists, quotes and code", () => {
    const { html } = renderMarkdown(
      "# Tides\n\nA **spring** tide, _twice_ a month.\n\n- low\n- high\n\n> sea\n\n```\nx < y\n```\n\nRun `tide --now`.",
    );
    expect(html).toBe(
      "<h1>Tides</h1>\n<p>A <strong>spring</strong> tide, <em>twice</em> a month.</p>\n" +
        "<ul>\n<li>low</li>\n<li>high</li>\n</ul>\n<blockquote>\n<p>sea</p>\n</blockquote>\n" +
        "<pre><code>x &lt; y\n</code></pre>\n<p>Run <code>tide --now</code>.</p>",
    );
  });

  it("marks links as user content, and links bare URLs with a scheme only", () => {
    const { html } = renderMarkdown(
      "[chart](https://example.org/c) and https://example.org/page#low, not www.example.org",
    );
    expect(html).toBe(
      '<p><a href="https://example.org/c" rel="nofollow noopener ugc">chart</a> and ' +
        '<a href="https://example.org/page#low" rel="nofollow noopener ugc">https://example.org/page#low</a>' +
        ", not www.example.org</p>",
    );
  });

  it("keeps raw HTML and script links as text, and shows images as links", () => {
    const { html } = renderMarkdown(
      '<script>alert(1)</script> <b onclick="x()">b</b> [x](javascript:alert(1)) ![a "pic"](https://e.org/p.png)',
    );
    expect(html).toBe(
      "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b onclick=&quot;x()&quot;&gt;b&lt;/b&gt; " +
        '[x](javascript:alert(1)) <a href="https://e.org/p.png" rel="nofollow noopener ugc">a &quot;pic&quot;</a></p>',
    );
  });

  it("links known mentions and hashtags and lists them once each for the tag entries", () => {
    const rendered = renderMarkdown(
      "Hi @kelp and @coral@beta.test, not @nobody or me@example.org. #Tides #tides issue#12 #123 @kelp",
      OPTIONS,
    );
    expect(rendered.mentions).toEqual([
      { name: "@kelp@alpha.test", id: KNOWN["kelp@alpha.test"] },
      { name: "@coral@beta.test", id: KNOWN["coral@beta.test"] },
    ]);
    expect(rendered.hashtags).toEqual([{ name: "#Tides", href: "https://alpha.test/tags/tides" }]);
    expect(rendered.html).toContain(
      '<a  class="u-url mention" href="https://alpha.test/ap/actors/kelp/page"><span class="at">@</span><span class="user">kelp</span></a>',
    );
    expect(rendered.html).toContain(
      '<a  class="mention hashtag" rel="tag" href="https://alpha.test/tags/tides"><span class="hash">#</span><span class="tag">Tides</span></a>',
    );
    expect(rendered.html).toContain("not @nobody or me@example.org.");
    expect(rendered.html).toContain("issue#12 #123");
  });

  it("leaves mentions and hashtags in code and links alone", () => {
    const rendered = renderMarkdown("`@kelp #tag` [#tag @kelp](https://e.org)", OPTIONS);
    expect(rendered.mentions).toEqual([]);
    expect(rendered.hashtags).toEqual([]);
  });

  it("lists the handles to look up, bare names on the local host", () => {
    expect(mentionedHandles("@Kelp and @coral@Beta.test, me@example.org", "alpha.test")).toEqual([
      "kelp@alpha.test",
      "coral@beta.test",
    ]);
  });
});

// Each input is hostile and about four times the longest post (40 000 characters). Rendered in
// linear time, each takes well under a second even on a loaded machine.
const HOSTILE: Record<string, string> = {
  "nested brackets": `${"[".repeat(80_000)}a${"]".repeat(80_000)}`,
  "unclosed link destinations": "[a](".repeat(40_000),
  "emphasis runs": "*a_".repeat(50_000),
  "nested quotes and lists": `${"> - ".repeat(40_000)}x`,
  "backtick runs": `${"`".repeat(50_000)}a${"``".repeat(25_000)}`,
  "mentions glued together": "@a@".repeat(50_000),
  "a long handle without a host": `@${"a.".repeat(80_000)}`,
  "hashtags glued to words": "a#b".repeat(50_000),
  "URLs with fragments": "https://e.org/#x ".repeat(10_000),
  "raw HTML": "<div><span>".repeat(15_000),
};

describe("renderMarkdown on hostile input", () => {
  it.each(Object.entries(HOSTILE))("renders %s in linear time", (_name, markdown) => {
    const started = performance.now();
    renderMarkdown(markdown, OPTIONS);
    mentionedHandles(markdown, "alpha.test");
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
