import { SOFTWARE_NAME, SOFTWARE_VERSION } from "../../lib/version.ts";
import { type FeedDocument, lastUpdated } from "./document.ts";
import type { FeedEntry } from "./entries.ts";
import { element, emptyElement } from "./xml.ts";

export const ATOM_TYPE = "application/atom+xml; charset=utf-8";

/** The feed as Atom 1.0 (RFC 4287); every entry names its author, so the feed need not. */
export function renderAtom(feed: FeedDocument): string {
  const self = `${feed.feedUrl}.atom`;
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    element("id", self),
    element("title", feed.title, { type: "text" }),
    element("subtitle", feed.description, { type: "text" }),
    element("updated", lastUpdated(feed).toISOString()),
    emptyElement("link", { rel: "self", type: "application/atom+xml", href: self }),
    emptyElement("link", { rel: "alternate", type: "text/html", href: feed.pageUrl }),
    element("generator", SOFTWARE_NAME, { version: SOFTWARE_VERSION }),
    ...feed.entries.map(entry),
    "</feed>",
    "",
  ].join("\n");
}

function entry(entry: FeedEntry): string {
  return [
    "<entry>",
    element("id", entry.url),
    element("title", entry.title, { type: "text" }),
    emptyElement("link", { rel: "alternate", type: "text/html", href: entry.url }),
    entry.relatedUrl === undefined
      ? ""
      : emptyElement("link", { rel: "related", href: entry.relatedUrl }),
    element("published", entry.published.toISOString()),
    element("updated", entry.updated.toISOString()),
    `<author>${element("name", entry.authorName)}${entry.authorUrl === undefined ? "" : element("uri", entry.authorUrl)}</author>`,
    entry.category === undefined
      ? ""
      : emptyElement("category", {
          term: entry.category.term,
          ...(entry.category.url === undefined ? {} : { scheme: entry.category.url }),
        }),
    // Escaped HTML (type="html"), like RSS's description: no CDATA, which `]]>` would end.
    element("content", entry.html, { type: "html" }),
    "</entry>",
  ].join("");
}
