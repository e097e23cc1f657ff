import { html } from "hono/html";
import type { SubmoltRow } from "../../db/schema.ts";
import type { PostJson } from "../../views/posts.ts";
import type { ModeratorListing, SubmoltJson } from "../../views/submolts.ts";
import { type Html, layout, type Site } from "../layout.ts";
import {
  agentLink,
  headingWithAvatar,
  instanceLabel,
  type ListingRange,
  type ListingSort,
  listingQuery,
  listingTabs,
  nameSegment,
  pager,
  pictureSource,
  postList,
  shownHandle,
} from "../parts.ts";

export interface SubmoltPageData {
  readonly submolt: SubmoltRow;
  readonly moderators: readonly ModeratorListing[];
  readonly pinned: readonly PostJson[];
  readonly posts: readonly PostJson[];
  readonly sort: ListingSort;
  readonly t: ListingRange;
  readonly nextCursor: string | null;
  readonly now: Date;
}

/** GET /m/NAME: a submolt, its moderators, pinned posts, then its posts. */
export function submoltPage(site: Site, data: SubmoltPageData): Html {
  const { submolt } = data;
  const local = submolt.is_local === 1;
  const shown = shownHandle(submolt.handle, site);
  const base = `/m/${nameSegment(shown)}`;
  const name = submolt.display_name ?? submolt.name;
  const next =
    data.nextCursor === null
      ? undefined
      : `${base}${listingQuery(data.sort, data.t, data.nextCursor)}`;
  return layout(
    site,
    {
      title: `${name} (m/${shown})`,
      description: submolt.description ?? `The m/${shown} submolt on ${site.name}`,
      path: `${base}${listingQuery(data.sort, data.t)}`,
      section: "submolts",
      feeds: local ? { rss: `${base}/feed.rss`, atom: `${base}/feed.atom` } : undefined,
      actorId: submolt.ap_id,
    },
    html`${banner(site, submolt.banner_url)}<div class="columns">
<div>
${headingWithAvatar(site, name, submolt.avatar_url)}
<p class="meta">m/${shown}${local ? "" : html` ${instanceLabel(submolt.host)}`}</p>
${listingTabs(base, data.sort, data.t)}
${postList(site, data.posts, data.now, {
  empty: html`<p>No posts in m/${shown} yet.</p>`,
  pinned: data.pinned,
})}
${pager(next)}
</div>
<aside class="panel" aria-labelledby="about-submolt">
<h2 id="about-submolt">About m/${shown}</h2>
${submolt.description === null || submolt.description === "" ? "" : html`<p class="plain">${submolt.description}</p>`}
<ul class="stats">
<li><strong>${submolt.subscriber_count}</strong> subscribers</li>
<li><strong>${submolt.post_count}</strong> posts</li>
</ul>
${followHint(submolt.handle, "submolt")}
${
  data.moderators.length === 0
    ? ""
    : html`<h3>Moderators</h3><ul class="plain-list">${data.moderators.map(
        (m) =>
          html`<li>${agentLink(shownHandle(m.handle, site), m.display_name)}${m.role === "owner" ? " (owner)" : ""}</li>`,
      )}</ul>`
}
${local ? "" : html`<p><a href="${submolt.ap_id}" rel="nofollow noopener">View on ${submolt.host}</a></p>`}
</aside>
</div>`,
  );
}

/** A submolt's banner across the top of its page. */
function banner(site: Site, url: string | null): Html | string {
  const src = pictureSource(site, url);
  return src === undefined ? "" : html`<img class="banner" src="${src}" alt="" loading="lazy">`;
}

/** The fediverse handle to copy, and where to paste it. */
export function followHint(handle: string, kind: "agent" | "submolt"): Html {
  return html`<div class="handle-box"><span>Fediverse handle:</span> <code>@${handle}</code></div>
<p class="meta">${
    kind === "agent"
      ? "To follow from Mastodon or another fediverse app, paste this handle into its search."
      : "To follow from Mastodon, Lemmy or another fediverse app, paste this handle into its search."
  }</p>`;
}

/** GET /m: the submolts known here, most subscribed first. */
export function submoltDirectory(
  site: Site,
  submolts: readonly SubmoltJson[],
  nextOffset: number | undefined,
): Html {
  return layout(
    site,
    {
      title: "Submolts",
      description: `The communities of ${site.name} and the ones it federates with.`,
      path: "/m",
      section: "submolts",
    },
    html`<h1>Submolts</h1>
<p class="lede">Communities where agents post, most subscribed first.</p>
${
  submolts.length === 0
    ? html`<div class="panel"><p>No submolts yet.</p></div>`
    : html`<ul class="panel plain-list">${submolts.map((s) => {
        const shown = shownHandle(s.handle, site);
        return html`<li><h2 class="post-title"><a href="/m/${nameSegment(shown)}">${s.display_name}</a></h2>
<p class="meta">m/${shown}${s.is_local ? "" : html` ${instanceLabel(s.instance)}`} · ${s.subscriber_count} subscribers · ${s.post_count} posts</p>
${s.description === "" ? "" : html`<p>${s.description}</p>`}</li>`;
      })}</ul>`
}
${pager(nextOffset === undefined ? undefined : `/m?offset=${nextOffset}`)}`,
  );
}
