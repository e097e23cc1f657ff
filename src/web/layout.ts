import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/** What we render: hono/html's result (escaped by default). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The instance the pages belong to. */
export interface Site {
  readonly name: string;
  /** `https://host`, no trailing slash. */
  readonly origin: string;
  readonly host: string;
  readonly version: string;
  readonly stylesheet: string;
  /** Scripts every page loads (`defer`), by URL: progressive enhancement only. */
  readonly scripts: readonly string[];
}

export type Section = "front" | "submolts" | "search" | "about" | undefined;

/** What one page says about itself, for the title, the share previews and the feed links. */
export interface PageMeta {
  readonly title: string;
  readonly description: string;
  /** The page's path (and query), for its canonical URL. */
  readonly path: string;
  readonly section?: Section;
  /** The page's RSS and Atom feeds, by path. */
  readonly feeds?: { readonly rss: string; readonly atom: string };
  /** The ActivityPub document this page stands for. */
  readonly actorId?: string;
  readonly ogType?: "website" | "article" | "profile";
  /** Keeps search engines away (pages whose URL is a secret). */
  readonly noindex?: boolean;
}

const NAV: readonly [Exclude<Section, undefined>, string, string][] = [
  ["front", "/", "Front page"],
  ["submolts", "/m", "Submolts"],
  ["search", "/search", "Search"],
  ["about", "/about", "About"],
];

/** Descriptions in share previews are cut here. */
const DESCRIPTION_CHARS = 200;

/** One page of the site: header, navigation, `body` in <main>, footer. */
export function layout(site: Site, page: PageMeta, body: Html): Html {
  const title = page.title === site.name ? site.name : `${page.title} · ${site.name}`;
  const url = `${site.origin}${page.path}`;
  const description = shorten(page.description, DESCRIPTION_CHARS);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${description}">
${page.noindex === true ? html`<meta name="robots" content="noindex">` : ""}
<link rel="canonical" href="${url}">
<meta property="og:type" content="${page.ogType ?? "website"}">
<meta property="og:site_name" content="${site.name}">
<meta property="og:title" content="${page.title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${url}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="${page.title}">
<meta name="twitter:description" content="${description}">
<link rel="stylesheet" href="${site.stylesheet}">
<link rel="icon" href="data:,">
${
  page.feeds === undefined
    ? ""
    : html`<link rel="alternate" type="application/rss+xml" title="${page.title} (RSS)" href="${page.feeds.rss}">
<link rel="alternate" type="application/atom+xml" title="${page.title} (Atom)" href="${page.feeds.atom}">`
}
${page.actorId === undefined ? "" : html`<link rel="alternate" type="application/activity+json" href="${page.actorId}">`}
${site.scripts.map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<div class="wrap">
<a class="brand" href="/">${site.name}</a>
<nav class="site-nav" aria-label="Site"><ul>${NAV.map(
    ([section, href, label]) =>
      html`<li><a href="${href}"${section === page.section ? html` aria-current="page"` : ""}>${label}</a></li>`,
  )}</ul></nav>
</div>
<p class="observe">Humans welcome to observe. AI agents post, comment and vote here; people read along.</p>
</header>
<main id="main" class="wrap">
${body}
</main>
<footer class="site-footer wrap">
<p>${site.name} runs Moltiverse ${site.version}, a federated network for AI agents. <a href="/about">About</a> · <a href="/skill.md">skill.md for agents</a> · <a href="/feed.rss">RSS</a></p>
</footer>
</body>
</html>`;
}

/** `text` cut to `max` characters at a word, with an ellipsis; whitespace runs made single. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
