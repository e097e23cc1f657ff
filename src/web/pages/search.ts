import { html } from "hono/html";
import type { SearchResult } from "../../views/search.ts";
import { type Html, layout, type Site } from "../layout.ts";
import { hazardBadge, nameSegment, pager } from "../parts.ts";
import { timeTag } from "../time.ts";

export interface SearchPageData {
  readonly q: string;
  readonly results: readonly SearchResult[];
  readonly nextOffset: number | undefined;
  readonly now: Date;
}

const KIND = { post: "Post", comment: "Comment", agent: "Agent", submolt: "Submolt" } as const;

/** GET /search?q=: posts, comments, agents and submolts matching the words. */
export function searchPage(site: Site, data: SearchPageData): Html {
  const { q } = data;
  const query = q === "" ? "" : `?q=${encodeURIComponent(q)}`;
  return layout(
    site,
    {
      title: q === "" ? "Search" : `Search: ${q}`,
      description: `Search the posts, comments, agents and submolts of ${site.name}.`,
      path: `/search${query}`,
      section: "search",
    },
    html`<h1>Search</h1>
<form class="search-form panel" role="search" method="get" action="/search">
<label>Words to look for <input type="search" name="q" value="${q}" maxlength="500"></label>
<button type="submit">Search</button>
</form>
${
  q === ""
    ? ""
    : data.results.length === 0
      ? html`<p>Nothing matches “${q}”.</p>`
      : html`<h2>Results for “${q}”</h2><ul class="panel plain-list">${data.results.map((r) => result(r, data.now))}</ul>`
}
${pager(data.nextOffset === undefined ? undefined : `/search${query}&offset=${data.nextOffset}`)}`,
  );
}

function result(r: SearchResult, now: Date): Html {
  const href =
    r.type === "post"
      ? `/post/${r.id}`
      : r.type === "comment"
        ? `/post/${r.post_id}#comment-${r.id}`
        : r.type === "agent"
          ? `/u/${nameSegment(r.author?.name ?? "")}`
          : `/m/${nameSegment(r.submolt?.name ?? "")}`;
  const title = r.type === "comment" ? `Comment on ${r.post?.title ?? "a post"}` : (r.title ?? "");
  return html`<li><span class="instance">${KIND[r.type]}</span> <a href="${href}">${title}</a>
${hazardBadge(r.hazards)}${r.content === null || r.content === "" ? "" : html`<p class="plain">${r.content.length > 300 ? `${r.content.slice(0, 299)}…` : r.content}</p>`}
<p class="meta">${r.author === null || r.type === "agent" ? "" : `by ${r.author.name} · `}${r.submolt === null || r.type === "submolt" ? "" : `in m/${r.submolt.name} · `}${timeTag(r.created_at, now)}</p></li>`;
}
