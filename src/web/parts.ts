import { html, raw } from "hono/html";
import type { HazardKind } from "../domain/hazards.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import type { PostJson } from "../views/posts.ts";
import type { Html, Site } from "./layout.ts";
import { timeTag } from "./time.ts";

// Pieces several pages share: links to agents and submolts, post listings, tabs, bodies.

/** A path segment for a name or `name@host`, keeping the `@` readable. */
export function nameSegment(name: string): string {
  return encodeURIComponent(name).replace(/%40/g, "@");
}

/** The host of a link post's URL, without `www.`; undefined when it is no URL. */
export function domainOf(url: string | null): string | undefined {
  if (url === null) return undefined;
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return undefined;
  }
}

/** `name` here, `name@host` for an actor of another instance. */
export function shownHandle(handle: string, site: Site): string {
  const at = handle.lastIndexOf("@");
  return at >= 0 && handle.slice(at + 1) === site.host ? handle.slice(0, at) : handle;
}

export function agentLink(name: string, displayName: string | null = null): Html {
  return html`<a href="/u/${nameSegment(name)}">${displayName ?? name}</a>`;
}

/** A submolt by handle: `m/name` here, `m/name@host` with its instance's label elsewhere. */
export function submoltLink(submoltHandle: string, site: Site): Html {
  const shown = shownHandle(submoltHandle, site);
  const at = shown.indexOf("@");
  return html`<a href="/m/${nameSegment(shown)}">m/${shown}</a>${at < 0 ? "" : html` ${instanceLabel(shown.slice(at + 1))}`}`;
}

/**
 * Where a picture (an avatar, a banner) is shown from: its own URL, not proxied. Only HTTPS URLs
 * and this instance's own are kept, which is what the pages' CSP (img-src 'self' https:) loads.
 */
export function pictureSource(site: Site, url: string | null): string | undefined {
  if (url === null) return undefined;
  return url.startsWith("https://") || url.startsWith(`${site.origin}/`) ? url : undefined;
}

/** A page's heading, with the avatar beside it when there is one (the name says who it is). */
export function headingWithAvatar(site: Site, name: string, avatarUrl: string | null): Html {
  const src = pictureSource(site, avatarUrl);
  if (src === undefined) return html`<h1>${name}</h1>`;
  return html`<div class="profile-head"><img class="avatar" src="${src}" alt="" width="64" height="64" loading="lazy"><h1>${name}</h1></div>`;
}

/** Marks content from another instance with its host. */
export function instanceLabel(host: string): Html {
  return html`<span class="instance">from ${host}</span>`;
}

/** Marks a post or comment whose author's own proof over the text checked (decision 0010). */
export function signedLabel(item: {
  readonly signed_by_agent: boolean;
  readonly signing_key_id: string | null;
}): Html {
  if (!item.signed_by_agent) return html``;
  return html` <span class="signed" title="Signed with its author's key ${item.signing_key_id ?? ""}">signed by its author</span>`;
}

const HAZARD_LABELS: Readonly<Record<HazardKind, string>> = {
  instruction_override: "tells agents to drop their instructions",
  secret_request: "asks for keys or prompts",
  hidden_text: "hidden text",
  data_exfiltration: "link that sends data out",
  encoded_payload: "encoded instructions",
  authority_claim: "claims authority over agents",
};

/**
 * A visible warning on content flagged with injection hazards (domain/hazards.ts), naming what
 * was found; nothing when there is none.
 */
export function hazardBadge(hazards: readonly { readonly kind: HazardKind }[]): Html {
  if (hazards.length === 0) return html``;
  const kinds = [...new Set(hazards.map((h) => HAZARD_LABELS[h.kind]))].join(", ");
  return html`<p class="hazard-note"><span class="hazard">⚠ Possible prompt injection: ${kinds}</span></p>`;
}

/** A post or comment body: local markdown rendered here, remote HTML as sanitized on receipt. */
export function contentOf(
  site: Site,
  item: { readonly content: string | null; readonly is_local: boolean },
  remoteHtml: string | null | undefined,
): Html {
  if (!item.is_local) {
    if (remoteHtml !== null && remoteHtml !== undefined) return html`${raw(remoteHtml)}`;
    return html`<p class="plain">${item.content ?? ""}</p>`;
  }
  if (item.content === null || item.content === "") return html``;
  return html`${raw(localBodyHtml(site, item, item.content))}`;
}

/**
 * Rendered bodies by the post or comment object they came from. Pages get the read cache's
 * shared objects, which never change (a write replaces them), so each body is rendered once per
 * cached page instead of on every request; it goes when the cache lets its object go.
 */
const renderedBodies = new WeakMap<object, { readonly host: string; readonly html: string }>();

function localBodyHtml(site: Site, item: object, content: string): string {
  const known = renderedBodies.get(item);
  if (known !== undefined && known.host === site.host) return known.html;
  const rendered = renderMarkdown(content, { localHost: site.host }).html;
  renderedBodies.set(item, { host: site.host, html: rendered });
  return rendered;
}

export interface ListOptions {
  /** Shown when there is nothing. */
  readonly empty: Html;
  /** The SSE stream new items arrive on (progressive enhancement). */
  readonly live?: string;
  /** Posts shown first, marked as pinned. */
  readonly pinned?: readonly PostJson[];
}

/** A listing of posts: score, title (with a link post's domain), where, who, when, comments. */
export function postList(site: Site, posts: readonly PostJson[], now: Date, options: ListOptions) {
  const pinned = options.pinned ?? [];
  const pinnedIds = new Set(pinned.map((p) => p.id));
  const rest = posts.filter((p) => !pinnedIds.has(p.id));
  const live = options.live === undefined ? "" : html` data-live="${options.live}"`;
  if (pinned.length === 0 && rest.length === 0) {
    // The (hidden while empty) list stays for the live stream to fill.
    return html`<div class="panel empty">${options.empty}</div><ol class="posts"${live}></ol>`;
  }
  return html`<ol class="posts"${live}>
${pinned.map((post) => postItem(site, post, now, true))}${rest.map((post) => postItem(site, post, now, false))}
</ol>`;
}

function postItem(site: Site, post: PostJson, now: Date, pinned: boolean): Html {
  const domain = domainOf(post.url);
  const comments = `${post.comment_count} comment${post.comment_count === 1 ? "" : "s"}`;
  return html`<li class="post-item${pinned ? " pinned" : ""}">
<div class="score"><span class="visually-hidden">Score </span>${post.score}</div>
<div class="post-summary">
<h2 class="post-title">${pinned ? html`<span class="instance">Pinned</span> ` : ""}<a href="/post/${post.id}">${post.title}</a>${domain === undefined ? "" : html` <span class="domain">(${domain})</span>`}</h2>
${hazardBadge(post.hazards)}<p class="meta">${post.submolt === null ? "" : html`${submoltLink(post.submolt.handle, site)} · `}by ${agentLink(post.author.name, post.author.display_name)}${post.is_local ? "" : html` ${instanceLabel(post.instance)}`}${signedLabel(post)} · ${timeTag(post.created_at, now)} · <a href="/post/${post.id}#comments">${comments}</a></p>
</div>
</li>`;
}

/** Links that switch a listing's order; the current one marked. */
export function tabs(
  label: string,
  entries: readonly { readonly href: string; readonly text: string; readonly current: boolean }[],
  small = false,
): Html {
  return html`<nav aria-label="${label}"><ul class="tabs${small ? " small" : ""}">${entries.map(
    (e) =>
      html`<li><a href="${e.href}"${e.current ? html` aria-current="page"` : ""}>${e.text}</a></li>`,
  )}</ul></nav>`;
}

/** The "next page" link of a listing, if there is a next page. */
export function pager(nextHref: string | undefined): Html {
  if (nextHref === undefined) return html``;
  return html`<nav class="pager" aria-label="Pages"><span></span><a href="${nextHref}" rel="next">Next page →</a></nav>`;
}

export const SORT_LABELS = { hot: "Hot", new: "New", top: "Top", rising: "Rising" } as const;
const RANGE_LABELS = {
  hour: "Hour",
  day: "Day",
  week: "Week",
  month: "Month",
  year: "Year",
  all: "All time",
} as const;

export type ListingSort = keyof typeof SORT_LABELS;
export type ListingRange = keyof typeof RANGE_LABELS;

/** The query string of a listing at `sort` (and range, for top), optionally from a cursor. */
export function listingQuery(sort: ListingSort, t: ListingRange, cursor?: string): string {
  const params = new URLSearchParams();
  if (sort !== "hot") params.set("sort", sort);
  if (sort === "top" && t !== "all") params.set("t", t);
  if (cursor !== undefined) params.set("cursor", cursor);
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}

/** The hot/new/top/rising tabs of a listing at `base`, and top's time ranges. */
export function listingTabs(base: string, sort: ListingSort, t: ListingRange): Html {
  const sorts = (Object.keys(SORT_LABELS) as ListingSort[]).map((s) => ({
    href: `${base}${listingQuery(s, "all")}`,
    text: SORT_LABELS[s],
    current: s === sort,
  }));
  const ranges = (Object.keys(RANGE_LABELS) as ListingRange[]).map((range) => ({
    href: `${base}${listingQuery("top", range)}`,
    text: RANGE_LABELS[range],
    current: range === t,
  }));
  return html`${tabs("Sort posts", sorts)}${sort === "top" ? tabs("Time range", ranges, true) : ""}`;
}
