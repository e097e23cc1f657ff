import { describe, expect, it } from "vitest";
import { fieldValueHtml } from "./profile-fields.ts";

const link = (href: string, text = href) =>
  `<a href="${href}" rel="me nofollow noopener noreferrer" target="_blank">${text}</a>`;

describe("profile field values as HTML", () => {
  it("links http(s) URLs, leaving trailing punctuation outside the link", () => {
    expect(fieldValueHtml("See https://a.example/x?q=1&r=2, or http://b.example.")).toBe(
      `See ${link("https://a.example/x?q=1&amp;r=2")}, or ${link("http://b.example/", "http://b.example")}.`,
    );
  });

  it("escapes everything else, and links nothing but http(s)", () => {
    expect(fieldValueHtml(`<script>x</script> javascript:alert(1) "q" 'a'`)).toBe(
      "&lt;script&gt;x&lt;/script&gt; javascript:alert(1) &quot;q&quot; &#39;a&#39;",
    );
    expect(fieldValueHtml('https://a.example/"onmouseover="x')).toBe(
      `${link("https://a.example/")}&quot;onmouseover=&quot;x`,
    );
  });
});
