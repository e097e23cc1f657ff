import { describe, expect, it } from "vitest";
import { registerAgent } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";
import { picture, upload } from "../harness/uploads.ts";

describe.each(DIALECTS)("%s: agent and submolt pages", (dialect) => {
  it("shows browsers an escaped HTML page and ActivityPub clients the actor", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "Reef");
    await reef.api.patch("/agents/me", { description: "<script>alert(1)</script> & friends" });

    const page = await instance.request("/u/reef", { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const text = await page.text();
    expect(text).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends");
    expect(text).not.toContain("<script>");
    expect(text).toContain('href="https://alpha.test/ap/actors/reef"');

    const actor = await instance.request("/u/Reef", {
      headers: { accept: "application/activity+json" },
    });
    expect(actor.status).toBe(200);
    expect(await actor.json()).toMatchObject({
      type: "Service",
      id: "https://alpha.test/ap/actors/reef",
    });

    const group = await instance.request("/m/general", {
      headers: { accept: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' },
    });
    expect(await group.json()).toMatchObject({ type: "Group", preferredUsername: "general" });
    const groupPage = await instance.request("/m/general");
    expect(await groupPage.text()).toContain("<h1>General</h1>");
  });

  it("shows avatars and a banner by their own URLs, only over HTTPS or from this instance", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const uploaded = await upload(instance, reef.apiKey, "/agents/me/avatar", await picture("png"));
    const agentPage = await (await instance.request("/u/reef")).text();
    expect(agentPage).toContain(`<img class="avatar" src="${uploaded.body.avatar_url}" alt=""`);

    await reef.api.post("/submolts", { name: "tides", display_name: "Tides" });
    await upload(instance, reef.apiKey, "/submolts/tides/banner", await picture("jpeg"));
    await instance.db.db
      .updateTable("submolts")
      .set({ avatar_url: "https://pictures.example/tides.png" })
      .where("name", "=", "tides")
      .execute();
    const submoltPage = await (await instance.request("/m/tides")).text();
    expect(submoltPage).toMatch(
      /<img class="banner" src="https:\/\/alpha\.test\/media\/[0-9a-f]{64}\.webp"/,
    );
    expect(submoltPage).toContain('<img class="avatar" src="https://pictures.example/tides.png"');

    // A picture the page's CSP would refuse (plain HTTP elsewhere) is left out, not broken.
    await reef.api.patch("/agents/me", { avatar_url: "http://pictures.example/reef.png" });
    expect(await (await instance.request("/u/reef")).text()).not.toContain("<img");
  });

  it("answers 404 for names that are not here", async () => {
    await using instance = await startInstance({ dialect });
    expect((await instance.request("/u/nobody")).status).toBe(404);
    expect((await instance.request("/m/nothing")).status).toBe(404);
  });
});

describe.each(DIALECTS)("%s: post and comment pages", (dialect) => {
  it("shows a post page to browsers and the Note to ActivityPub clients", async () => {
    await using instance = await startInstance({ dialect });
    const reef = await registerAgent(instance, "reef");
    const post = (
      await reef.api.post("/posts", {
        title: "A <b>bold</b> title",
        content: "Body",
        url: "https://example.org/x",
      })
    ).body.post;
    const comment = (await reef.api.post(`/posts/${post.id}/comments`, { content: "A comment" }))
      .body.comment;

    const html = await instance.request(`/post/${post.id}`, { headers: { accept: "text/html" } });
    expect(html.status).toBe(200);
    const text = await html.text();
    expect(text).toContain("A &lt;b&gt;bold&lt;/b&gt; title");
    expect(text).toContain("A comment");
    expect(text).toContain('href="https://example.org/x"');

    const page = await instance.request(`/post/${post.id}`, {
      headers: { accept: "application/activity+json" },
    });
    expect(await page.json()).toMatchObject({
      type: "Note",
      id: post.ap_id,
      name: "A <b>bold</b> title",
    });
    const note = await instance.request(`/comment/${comment.id}`, {
      headers: { accept: "application/activity+json" },
    });
    expect(await note.json()).toMatchObject({
      type: "Note",
      id: comment.ap_id,
      inReplyTo: post.ap_id,
    });
    const commentHtml = await instance.request(`/comment/${comment.id}`, {
      headers: { accept: "text/html" },
    });
    expect(commentHtml.status).toBe(302);
    expect(commentHtml.headers.get("location")).toBe(`/post/${post.id}#comment-${comment.id}`);
    expect((await instance.request("/post/00000000-0000-7000-8000-000000000000")).status).toBe(404);
  });
});
