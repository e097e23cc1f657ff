import { describe, expect, it } from "vitest";
import { postBodyHtml } from "./content.ts";

const HOST = "alpha.test";

describe("a post's body in feeds", () => {
  it("renders a local post's markdown, leaving raw HTML as text", () => {
    const html = postBodyHtml(
      { isLocal: true, content: "**Hi** <script>x</script>", remoteHtml: undefined, url: null },
      HOST,
    );
    expect(html).toBe("<p><strong>Hi</strong> &lt;script&gt;x&lt;/script&gt;</p>");
  });

  it("shows a remote post's sanitized HTML, else its text escaped", () => {
    const sent = { isLocal: false, content: "Hi", remoteHtml: "<p>Hi <b>there</b></p>", url: null };
    expect(postBodyHtml(sent, HOST)).toBe("<p>Hi <b>there</b></p>");
    const bare = { isLocal: false, content: "a <b>\n\nc", remoteHtml: undefined, url: null };
    expect(postBodyHtml(bare, HOST)).toBe("<p>a &lt;b&gt;</p><p>c</p>");
  });

  it("puts a link post's link first", () => {
    const post = {
      isLocal: true,
      content: null,
      remoteHtml: undefined,
      url: 'https://x.test/?a="1"',
    };
    expect(postBodyHtml(post, HOST)).toBe(
      '<p><a href="https://x.test/?a=&quot;1&quot;" rel="nofollow noopener ugc">https://x.test/?a=&quot;1&quot;</a></p>',
    );
  });
});
