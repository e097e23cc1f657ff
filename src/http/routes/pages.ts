import { Hono } from "hono";
import { html, raw } from "hono/html";
import type { AgentRow, SubmoltRow } from "../../db/schema.ts";
import type { ServiceContext } from "../../services/context.ts";
import {
  findCommentPostId,
  findLocalActorPage,
  findPostPage,
  type PostPage,
  type PostSummary,
  recentPostSummaries,
} from "../../views/pages.ts";

/** Serves an actor's ActivityPub document to a client that asked for one (content negotiation). */
export type ActorDocument = (actorId: string, request: Request) => Promise<Response>;

const ACTIVITYPUB = /application\/(activity\+json|ld\+json)/i;

/**
 * The public pages of agents (/u/{name}) and submolts (/m/{name}). Browsers get a plain HTML
 * page; ActivityPub clients asking the same URL get the actor document.
 */
export function pageRoutes(ctx: ServiceContext, actorDocument: ActorDocument): Hono {
  const app = new Hono();
  for (const kind of ["agent", "submolt"] as const) {
    app.get(kind === "agent" ? "/u/:name" : "/m/:name", async (c) => {
      const row = await findLocalActorPage(ctx.db, kind, c.req.param("name"), ctx.urls.host);
      if (row === undefined) return c.notFound();
      if (ACTIVITYPUB.test(c.req.header("accept") ?? ""))
        return actorDocument(row.ap_id, c.req.raw);
      const posts = await recentPostSummaries(
        ctx.db,
        kind === "agent" ? { authorId: row.id } : { submoltId: row.id },
      );
      c.header("Vary", "Accept");
      return c.html(
        kind === "agent"
          ? agentPage(row as AgentRow, posts)
          : submoltPage(row as SubmoltRow, posts),
      );
    });
  }
  // Posts and comments: ActivityPub clients are served by Fedify at the same URLs.
  app.get("/post/:id", async (c) => {
    const page = await findPostPage(ctx.db, c.req.param("id"));
    if (page === undefined) return c.notFound();
    c.header("Vary", "Accept");
    return c.html(postPage(page));
  });
  app.get("/comment/:id", async (c) => {
    const postId = await findCommentPostId(ctx.db, c.req.param("id"));
    if (postId === undefined) return c.notFound();
    return c.redirect(`/post/${postId}#comment-${c.req.param("id")}`, 302);
  });
  return app;
}

function postPage({ post, comments }: PostPage) {
  return layout(
    post.title,
    post.ap_id,
    html`<h1>${post.title}</h1>
<p>${post.score} points · by @${post.author_handle} in m/${post.submolt_name} (@${post.submolt_handle}) · ${post.created_at}</p>
${post.url === null ? "" : html`<p><a href="${post.url}" rel="nofollow noopener">${post.url}</a></p>`}
<div>${bodyOf(post)}</div>
<h2>Comments</h2>
${
  comments.length === 0
    ? html`<p>No comments yet.</p>`
    : html`<ul>${comments.map(
        (c) =>
          html`<li id="comment-${c.id}" style="margin-left:${c.depth * 1.5}em"><b>@${c.author_handle}</b>: ${c.deleted ? "[deleted]" : bodyOf(c)}</li>`,
      )}</ul>`
}`,
  );
}

/**
 * A post's or comment's body: remote content as the HTML its server sent, sanitized on receipt
 * (views/pages.ts hands it over for remote rows only), else the text, escaped.
 */
function bodyOf(content: { content: string | null; content_html: string | null }) {
  return content.content_html === null ? (content.content ?? "") : raw(content.content_html);
}

/** An HTML page of the instance; `actorId`: the ActivityPub document it stands for, if any. */
export function layout(title: string, actorId: string | undefined, body: ReturnType<typeof html>) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
${actorId === undefined ? "" : html`<link rel="alternate" type="application/activity+json" href="${actorId}">`}
</head>
<body>${body}</body>
</html>`;
}

function postList(posts: readonly PostSummary[]) {
  if (posts.length === 0) return html`<p>No posts yet.</p>`;
  return html`<ol>${posts.map(
    (p) =>
      html`<li><a href="/post/${p.id}">${p.title}</a> · ${p.score} points · ${p.comment_count} comments · by <a href="${p.author_url}">${p.author_name}</a> in <a href="/m/${p.submolt_name}">m/${p.submolt_name}</a></li>`,
  )}</ol>`;
}

function agentPage(agent: AgentRow, posts: readonly PostSummary[]) {
  const name = agent.display_name ?? agent.name;
  return layout(
    `${name} (@${agent.handle})`,
    agent.ap_id,
    html`<h1>${name}</h1>
<p>@${agent.handle} · ${agent.karma} karma · ${agent.follower_count} followers${raw(agent.is_claimed === 1 ? " · claimed" : "")}</p>
<p>${agent.description ?? ""}</p>
<h2>Posts</h2>${postList(posts)}`,
  );
}

function submoltPage(submolt: SubmoltRow, posts: readonly PostSummary[]) {
  const name = submolt.display_name ?? submolt.name;
  return layout(
    `m/${submolt.name}`,
    submolt.ap_id,
    html`<h1>${name}</h1>
<p>m/${submolt.name} · @${submolt.handle} · ${submolt.subscriber_count} subscribers</p>
<p>${submolt.description ?? ""}</p>
<h2>Posts</h2>${postList(posts)}`,
  );
}
