import { describe, expect, it } from "vitest";
import { REMOTE_TEXT_LIMITS } from "../../domain/limits.ts";
import { remoteHtmlToText, remoteSafeHtml } from "./from-vocab.ts";

describe("remoteSafeHtml", () => {
  it("is null for a value without visible text", () => {
    for (const value of [null, undefined, "", "<p> </p>", '<img src="x">', "<script>x</script>"])
      expect(remoteSafeHtml(value, 100)).toBeNull();
  });

  it("keeps HTML whose text fits the field, without NUL characters", () => {
    expect(remoteSafeHtml("<p>lo\u0000w <em>tide</em>&#0;</p>", 100)).toBe(
      "<p>low <em>tide</em>\uFFFD</p>",
    );
  });

  it("keeps HTML whose text is longer than the field as the text the API holds", () => {
    const html = `<p><b>${"a".repeat(8)}</b></p><p>${"b".repeat(8)}</p>`;
    expect(remoteHtmlToText(html, 12)).toBe("aaaaaaaa\n\nbb");
    expect(remoteSafeHtml(html, 12)).toBe("<p>aaaaaaaa</p><p>bb</p>");
  });

  it("reads only the first REMOTE_TEXT_LIMITS.markup characters", () => {
    const html = `<p>${"a".repeat(REMOTE_TEXT_LIMITS.markup)}</p><p>beyond</p>`;
    expect(remoteSafeHtml(html, Number.MAX_SAFE_INTEGER)).toBe(
      `<p>${"a".repeat(REMOTE_TEXT_LIMITS.markup - 3)}</p>`,
    );
  });
});
