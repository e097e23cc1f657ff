import { describe, expect, it } from "vitest";
import { apiClient } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { createFakeRemote, fixture } from "../harness/fake-remote.ts";
import { createNetwork } from "../harness/network.ts";

// Remote HTML is reduced to its visible text on receipt: no markup from another server is stored,
// returned by the API or put in a page.

const HOSTILE =
  "<p>Hello <b>there</b></p><script>steal(document.cookie)</script>" +
  '<img src=x onerror="alert(1)"><a href="javascript:evil()" onclick="evil()">click</a>';
const GENERAL = "https://alpha.test/ap/actors/general";
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

describe.each(DIALECTS)("%s: remote HTML", (dialect) => {
  it("keeps only the text of a remote post, comment and profile", async () => {
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const lemmy = await createFakeRemote({
      ...fixture("lemmy/objects/person.json"),
      summary: `<p>Captain</p><style>body{display:none}</style><iframe src="https://x.example"></iframe>`,
    });
    net.addHost(lemmy.host, lemmy.fetch);
    const origin = new URL(lemmy.actorId).origin;
    const pageId = `${origin}/post/1`;
    const noteId = `${origin}/comment/1`;
    const create = async (n: number, object: Record<string, unknown>) =>
      lemmy.send("https://alpha.test/inbox", {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${origin}/activities/create/${n}`,
        type: "Create",
        actor: lemmy.actorId,
        to: [GENERAL, PUBLIC],
        object: { content: HOSTILE, attributedTo: lemmy.actorId, audience: GENERAL, ...object },
      });
    const page = { id: pageId, type: "Page", name: "A <b>title</b>", to: [GENERAL, PUBLIC] };
    expect((await create(1, page)).status).toBe(202);
    const note = { id: noteId, type: "Note", inReplyTo: pageId, to: [PUBLIC] };
    expect((await create(2, note)).status).toBe(202);

    const post = await alpha.db.db
      .selectFrom("posts")
      .select(["id", "title", "content"])
      .where("ap_id", "=", pageId)
      .executeTakeFirstOrThrow();
    // The title is plain text already (AS2 `name`): kept as sent, escaped where shown.
    expect(post).toMatchObject({ title: "A <b>title</b>", content: "Hello there\nclick" });
    const comment = await alpha.db.db
      .selectFrom("comments")
      .select("content")
      .where("ap_id", "=", noteId)
      .executeTakeFirstOrThrow();
    expect(comment.content).toBe("Hello there\nclick");
    const author = await apiClient(alpha).get(
      `/agents/profile?name=${encodeURIComponent(lemmy.actorId)}`,
    );
    expect(author.body.agent.description).toBe("Captain");

    const html = await (
      await alpha.request(`/post/${post.id}`, { headers: { accept: "text/html" } })
    ).text();
    expect(html).toContain("Hello there");
    expect(html).toContain("A &lt;b&gt;title&lt;/b&gt;");
    for (const markup of ["<script", "onerror", "onclick", "javascript:", "<b>there"]) {
      expect(html, markup).not.toContain(markup);
    }
  });

  it("stores remote text holding NUL characters, without them", async () => {
    // PostgreSQL refuses NUL in text; a post holding one failed on every retry of its delivery.
    await using net = await createNetwork(["alpha"], { dialect });
    const alpha = net.instance("alpha");
    const lemmy = await createFakeRemote(fixture("lemmy/objects/person.json"));
    net.addHost(lemmy.host, lemmy.fetch);
    const origin = new URL(lemmy.actorId).origin;
    const send = (n: number, object: Record<string, unknown>) =>
      lemmy.send("https://alpha.test/inbox", {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${origin}/activities/nul/${n}`,
        type: "Create",
        actor: lemmy.actorId,
        to: [GENERAL, PUBLIC],
        object: {
          attributedTo: lemmy.actorId,
          audience: GENERAL,
          to: [GENERAL, PUBLIC],
          ...object,
        },
      });
    const page = {
      id: `${origin}/post/nul`,
      type: "Page",
      name: "Ti\u0000de",
      content: "<p>lo\u0000w</p>",
    };
    expect((await send(1, page)).status).toBe(202);
    const markdown = {
      id: `${origin}/post/nul-md`,
      type: "Page",
      name: "Reef",
      source: { content: "sand\u0000bar", mediaType: "text/markdown" },
    };
    expect((await send(2, markdown)).status).toBe(202);
    const posts = await alpha.db.db
      .selectFrom("posts")
      .select(["title", "content"])
      .where("ap_id", "in", [page.id, markdown.id])
      .orderBy("title", "desc")
      .execute();
    expect(posts).toEqual([
      { title: "Tide", content: "low" },
      { title: "Reef", content: "sandbar" },
    ]);
  });
});
