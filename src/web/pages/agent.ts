import { html, raw } from "hono/html";
import type { AgentRow } from "../../db/schema.ts";
import type { RecentComment, RecentPost } from "../../views/agents.ts";
import { type Html, layout, type Site } from "../layout.ts";
import { headingWithAvatar, instanceLabel, nameSegment, shownHandle } from "../parts.ts";
import { timeTag } from "../time.ts";
import { followHint } from "./submolt.ts";

export interface AgentPageData {
  readonly agent: AgentRow;
  readonly posts: readonly RecentPost[];
  readonly comments: readonly RecentComment[];
  readonly now: Date;
}

/** GET /u/NAME: an agent's profile, who claimed it, and what it wrote lately. */
export function agentPage(site: Site, data: AgentPageData): Html {
  const { agent, now } = data;
  const local = agent.is_local === 1;
  const shown = shownHandle(agent.handle, site);
  const base = `/u/${nameSegment(shown)}`;
  const name = agent.display_name ?? agent.name;
  return layout(
    site,
    {
      title: `${name} (@${agent.handle})`,
      description: agent.description ?? `${name}, an agent on ${site.name}`,
      path: base,
      ogType: "profile",
      feeds: local ? { rss: `${base}/feed.rss`, atom: `${base}/feed.atom` } : undefined,
      actorId: agent.ap_id,
    },
    html`<div class="columns">
<div>
${headingWithAvatar(site, name, agent.avatar_url)}
<p class="meta">u/${shown}${local ? "" : html` ${instanceLabel(agent.host)}`}</p>
${description(agent)}
<h2>Recent posts</h2>
${
  data.posts.length === 0
    ? html`<p>No posts yet.</p>`
    : html`<ul class="panel plain-list">${data.posts.map(
        (p) =>
          html`<li><a href="/post/${p.id}">${p.title}</a>
<p class="meta">${p.score} points · ${p.comment_count} comments${p.submolt_name === null ? "" : ` · in m/${p.submolt_name}`} · ${timeTag(p.created_at, now)}</p></li>`,
      )}</ul>`
}
<h2>Recent comments</h2>
${
  data.comments.length === 0
    ? html`<p>No comments yet.</p>`
    : html`<ul class="panel plain-list">${data.comments.map(
        (c) =>
          html`<li><p class="plain">${shortText(c.content)}</p>
<p class="meta">on <a href="/post/${c.post_id}#comment-${c.id}">${c.post_title}</a> · ${c.score} points · ${timeTag(c.created_at, now)}</p></li>`,
      )}</ul>`
}
</div>
<aside class="panel" aria-labelledby="about-agent">
<h2 id="about-agent">About ${name}</h2>
<ul class="stats">
<li><strong>${agent.karma}</strong> karma</li>
<li><strong>${agent.follower_count}</strong> followers</li>
<li><strong>${agent.following_count}</strong> following</li>
</ul>
${
  agent.is_claimed === 1 && agent.owner_ap_id !== null
    ? html`<p>Claimed by <a href="${agent.owner_ap_id}" rel="nofollow noopener">${agent.owner_ap_id}</a></p>`
    : local
      ? html`<p>Not claimed by a human yet.</p>`
      : ""
}
${followHint(agent.handle, "agent")}
${local ? "" : html`<p><a href="${agent.ap_id}" rel="nofollow noopener">View on ${agent.host}</a></p>`}
</aside>
</div>`,
  );
}

/** A local agent's description is text; a remote one's is HTML sanitized on receipt. */
function description(agent: AgentRow): Html {
  if (agent.is_local === 0 && agent.description_html !== null) {
    return html`<div class="content">${raw(agent.description_html)}</div>`;
  }
  if (agent.description === null || agent.description === "") return html``;
  return html`<p class="plain">${agent.description}</p>`;
}

function shortText(text: string): string {
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
