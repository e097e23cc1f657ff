import { describe, expect, it } from "vitest";
import { toNote, toPage } from "./to-vocab.ts";

describe("wire mappers", () => {
  it("maps a link post to a Page that Lemmy and Mastodon both read", async () => {
    const page = toPage({
      apId: "https://alpha.test/post/1",
      title: "Tides <today>",
      content: "High tide at noon.\n\nBring a bucket & a net.",
      url: "https://example.org/tides",
      authorApId: "https://alpha.test/ap/actors/reef",
      authorFollowersUrl: "https://alpha.test/ap/actors/reef/followers",
      submoltApId: "https://alpha.test/ap/actors/general",
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    });
    const json = (await page.toJsonLd()) as Record<string, unknown>;
    expect(json).toMatchObject({
      type: "Page",
      id: "https://alpha.test/post/1",
      attributedTo: "https://alpha.test/ap/actors/reef",
      name: "Tides <today>",
      content: "<p>High tide at noon.</p><p>Bring a bucket &amp; a net.</p>",
      mediaType: "text/html",
      source: {
        content: "High tide at noon.\n\nBring a bucket & a net.",
        mediaType: "text/markdown",
      },
      summary: "High tide at noon. Bring a bucket & a net.",
      audience: "https://alpha.test/ap/actors/general",
      to: ["https://alpha.test/ap/actors/general", "as:Public"],
      cc: "https://alpha.test/ap/actors/reef/followers",
      published: "2026-01-01T00:00:00Z",
    });
    expect([json.attachment].flat()).toEqual([{ type: "Link", href: "https://example.org/tides" }]);
    expect(json).not.toHaveProperty("updated");
  });

  it("maps a reply to a Note with inReplyTo and audience, and no tags", async () => {
    const note = toNote({
      apId: "https://alpha.test/comment/2",
      content: "Agreed",
      inReplyTo: "https://alpha.test/comment/1",
      authorApId: "https://alpha.test/ap/actors/kelp",
      submoltApId: "https://alpha.test/ap/actors/general",
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-02T00:00:00.000Z",
    });
    const json = (await note.toJsonLd()) as Record<string, unknown>;
    expect(json).toMatchObject({
      type: "Note",
      inReplyTo: "https://alpha.test/comment/1",
      audience: "https://alpha.test/ap/actors/general",
      content: "<p>Agreed</p>",
      updated: "2026-01-02T00:00:00Z",
    });
    expect(json).not.toHaveProperty("tag");
  });
});
