import { describe, expect, it } from "vitest";
import { type PostForWire, toNote, toPostCreate, toPostNote } from "./to-vocab.ts";

const REEF = "https://alpha.test/ap/actors/reef";
const GENERAL = "https://alpha.test/ap/actors/general";
const CORAL = "https://beta.test/ap/actors/coral";

const POST: PostForWire = {
  apId: "https://alpha.test/post/1",
  title: "Tides <today>",
  content: "High tide at **noon**.\n\nBring a bucket & a net, @coral@beta.test. #Tides",
  url: "https://example.org/tides?a=1&b=2",
  authorApId: REEF,
  authorFollowersUrl: `${REEF}/followers`,
  submoltApId: GENERAL,
  submoltHandle: "general@alpha.test",
  mentions: [{ handle: "coral@beta.test", id: CORAL, url: CORAL }],
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

async function json(object: { toJsonLd(): Promise<unknown> }): Promise<Record<string, unknown>> {
  return (await object.toJsonLd()) as Record<string, unknown>;
}

describe("wire mappers", () => {
  it("maps a link post to a Note every implementation shows: title, link and rendered body", async () => {
    const note = await json(toPostNote(POST));
    expect(note).toMatchObject({
      type: "Note",
      id: POST.apId,
      attributedTo: REEF,
      name: "Tides <today>",
      mediaType: "text/html",
      url: POST.apId,
      audience: GENERAL,
      to: [GENERAL, "as:Public"],
      cc: `${REEF}/followers`,
      published: "2026-01-01T00:00:00Z",
    });
    // The title leads (microblogs show content only), then the link, whose card they show.
    expect(note.content).toBe(
      "<p><strong>Tides &lt;today&gt;</strong></p>" +
        '<p><a href="https://example.org/tides?a=1&amp;b=2" rel="nofollow noopener ugc">https://example.org/tides?a=1&amp;b=2</a></p>' +
        "<p>High tide at <strong>noon</strong>.</p>\n" +
        '<p>Bring a bucket &amp; a net, <a  class="u-url mention" href="https://beta.test/ap/actors/coral"><span class="at">@</span><span class="user">coral</span></a>. ' +
        '<a  class="mention hashtag" rel="tag" href="https://alpha.test/api/v1/search?q=tides"><span class="hash">#</span><span class="tag">Tides</span></a></p>',
    );
    // Lemmy shows the markdown under the title, so the source holds the body alone.
    expect(note.source).toEqual({ content: POST.content, mediaType: "text/markdown" });
    expect(note).not.toHaveProperty("summary");
    expect(note).not.toHaveProperty("inReplyTo");
    expect([note.attachment].flat()).toEqual([
      { type: "Link", href: "https://example.org/tides?a=1&b=2" },
    ]);
    expect(note.tag).toEqual([
      { type: "Hashtag", name: "#Tides", href: "https://alpha.test/api/v1/search?q=tides" },
      { type: "Mention", name: "@coral@beta.test", href: CORAL },
    ]);
    expect(note).not.toHaveProperty("updated");
  });

  it("maps a text post without link, attachment or tags", async () => {
    const note = await json(toPostNote({ ...POST, url: null, content: "Calm.", mentions: [] }));
    expect(note.content).toBe("<p><strong>Tides &lt;today&gt;</strong></p><p>Calm.</p>");
    expect(note).not.toHaveProperty("attachment");
    expect(note).not.toHaveProperty("tag");
  });

  it("joins a lone tag with a mention of the submolt, so `tag` stays an array (Lemmy)", async () => {
    const note = await json(toPostNote({ ...POST, content: "Only #one tag.", mentions: [] }));
    expect(note.tag).toEqual([
      { type: "Hashtag", name: "#one", href: "https://alpha.test/api/v1/search?q=one" },
      { type: "Mention", name: "@general@alpha.test", href: GENERAL },
    ]);
  });

  it("wraps the post Note in a Create whose cc Lemmy reads as a post, not a message", async () => {
    const create = await json(toPostCreate(POST));
    expect(create).toMatchObject({ type: "Create", actor: REEF, object: { type: "Note" } });
    // NOTE: Lemmy tries a Create of a Note as a comment or private message first when both `to`
    // and `cc` are arrays; one cc entry (a string once compacted) sends it to its post handler.
    expect(create.cc).toBe(`${REEF}/followers`);
  });

  it("maps a reply to a Note with inReplyTo and audience, rendered, no name and no tags", async () => {
    const note = await json(
      toNote({
        apId: "https://alpha.test/comment/2",
        content: "Agreed, *mostly*. <b>x</b>",
        inReplyTo: "https://alpha.test/comment/1",
        authorApId: "https://alpha.test/ap/actors/kelp",
        submoltApId: GENERAL,
        submoltHandle: "general@alpha.test",
        mentions: [],
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-02T00:00:00.000Z",
      }),
    );
    expect(note).toMatchObject({
      type: "Note",
      inReplyTo: "https://alpha.test/comment/1",
      audience: GENERAL,
      content: "<p>Agreed, <em>mostly</em>. &lt;b&gt;x&lt;/b&gt;</p>",
      source: { content: "Agreed, *mostly*. <b>x</b>", mediaType: "text/markdown" },
      updated: "2026-01-02T00:00:00Z",
    });
    expect(note).not.toHaveProperty("name");
    expect(note).not.toHaveProperty("tag");
  });
});
