import { describe, expect, it } from "vitest";
import { htmlToText } from "./text.ts";

describe("htmlToText", () => {
  it("keeps the visible text of paragraphs, breaks, links and entities", () => {
    expect(
      htmlToText(
        '<p>Tides &amp; <a href="https://x.example" class="u-url">moons</a></p><p>a<br>b &#x27;c&#39; &lt;d&gt;</p>',
      ),
    ).toBe("Tides & moons\n\na\nb 'c' <d>");
  });

  it("drops scripts, styles, comments, event handlers and tags hidden in attribute values", () => {
    const text = htmlToText(
      '<script>steal()</script><style>p{}</style><!-- <b>x</b> --><img src=x onerror="alert(1)">' +
        '<a title="a > b" href="javascript:evil()">click</a><SCRIPT type="x">more()</SCRIPT >' +
        "<svg><script>inner()</script></svg>",
    );
    expect(text).toBe("click");
  });

  it("decodes entities once, so escaped markup stays text", () => {
    expect(htmlToText("&amp;lt;b&amp;gt; &#60;i&#62; &bogus;")).toBe("&lt;b&gt; <i> &bogus;");
  });
});
