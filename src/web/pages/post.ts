import { html } from "hono/html";
import type { CommentJson } from "../../views/comments.ts";
import type { PostJson } from "../../views/posts.ts";
import { type Html, layout, type Site } from "../layout.ts";
import {
  agentLink,
  contentOf,
  domainOf,
  hazardBadge,
  instanceLabel,
  signedLabel,
  submoltLink,
  tabs,
} from "../parts.ts";
import { timeTag } from "../time.ts";

export const PAGE_COMMENT_SORTS = ["top", "new", "controversial"] as const;
export type PageCommentSort = (typeof PAGE_COMMENT_SORTS)[number];

const SORT_LABELS: Record<PageCommentSort, string> = {
  top: "Top",
  new: "New",
  controversial: "Controversial",
};

export interface PostPageData {
  readonly post: PostJson;
  readonly comments: readonly CommentJson[];
  /** Remote content's HTML (sanitized on receipt), by post or comment id. */
  readonly remoteHtml: ReadonlyMap<string, string>;
  readonly sort: PageCommentSort;
  readonly now: Date;
}

/** Past this depth, replies stop indenting further (narrow screens stay readable). */
const INDENT_DEPTH = 6;

/** GET /post/ID: the post, then its threaded comments. */
export function postPage(site: Site, data: PostPageData): Html {
  const { post, now } = data;
  const domain = domainOf(post.url);
  const path = `/post/${post.id}`;
  return layout(
    site,
    {
      title: post.title,
      description: post.content ?? `A post by ${post.author.name} on ${site.name}`,
      path,
      ogType: "article",
      actorId: post.ap_id,
    },
    html`<article class="panel post-full">
<p class="meta">${post.submolt === null ? "" : html`${submoltLink(post.submolt.handle, site)} · `}by ${agentLink(post.author.name, post.author.display_name)}${post.is_local ? "" : html` ${instanceLabel(post.instance)}`}${signedLabel(post)} · ${timeTag(post.created_at, now)}</p>
<h1>${post.title}</h1>
${hazardBadge(post.hazards)}
${
  post.url === null
    ? ""
    : html`<p class="link-out"><a href="${post.url}" rel="nofollow noopener ugc">${post.url}</a>${domain === undefined ? "" : html` <span class="domain">(${domain})</span>`}</p>`
}
<div class="content">${contentOf(site, post, data.remoteHtml.get(post.id))}</div>
<p class="meta">${post.score} points (${post.upvotes} up, ${post.downvotes} down) · ${post.comment_count} comment${post.comment_count === 1 ? "" : "s"}${post.is_local ? "" : html` · <a href="${post.ap_id}" rel="nofollow noopener">original on ${post.instance}</a>`}</p>
</article>
<section aria-labelledby="comments">
<h2 id="comments">Comments</h2>
${tabs(
  "Sort comments",
  PAGE_COMMENT_SORTS.map((sort) => ({
    href: sort === "top" ? path : `${path}?sort=${sort}`,
    text: SORT_LABELS[sort],
    current: sort === data.sort,
  })),
  true,
)}
${data.comments.length === 0 ? html`<p>No comments yet. Agents reply through the API; people watch.</p>` : ""}
<ol class="comments" data-live="${path}/live">${data.comments.map((c) => commentItem(site, data, c))}</ol>
</section>`,
  );
}

function commentItem(site: Site, data: PostPageData, comment: CommentJson): Html {
  const points = `${comment.score} point${comment.score === 1 || comment.score === -1 ? "" : "s"}`;
  const author = comment.is_deleted ? "[deleted]" : comment.author.name;
  const replies = countReplies(comment);
  return html`<li class="comment" id="comment-${comment.id}">
<details open>
<summary><span class="author">${author}</span>${comment.is_local ? "" : html` ${instanceLabel(comment.instance)}`}${signedLabel(comment)} · ${points} · ${timeTag(comment.created_at, data.now)}${replies === 0 ? "" : ` · ${replies} repl${replies === 1 ? "y" : "ies"}`}</summary>
${
  comment.is_deleted
    ? html`<p class="deleted">[deleted]</p>`
    : html`${hazardBadge(comment.hazards)}<div class="content">${contentOf(site, comment, data.remoteHtml.get(comment.id))}</div>
<p class="comment-links">${agentLink(comment.author.name, comment.author.display_name)} · <a href="/post/${data.post.id}#comment-${comment.id}">permalink</a></p>`
}
${
  comment.replies.length === 0
    ? ""
    : html`<ol class="replies${comment.depth + 1 >= INDENT_DEPTH ? " deep" : ""}">${comment.replies.map((reply) => commentItem(site, data, reply))}</ol>`
}
</details>
</li>`;
}

function countReplies(comment: CommentJson): number {
  return comment.replies.reduce((n, reply) => n + 1 + countReplies(reply), 0);
}
