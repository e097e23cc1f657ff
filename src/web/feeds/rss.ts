import { SOFTWARE_NAME, SOFTWARE_VERSION } from "../../lib/version.ts";
import { type FeedDocument, lastUpdated } from "./document.ts";
import type { FeedEntry } from "./entries.ts";
import { element, emptyElement } from "./xml.ts";

export const RSS_TYPE = "application/rss+xml; charset=utf-8";

/**
 * The feed as RSS 2.0. Authors go in `dc:creator`: RSS's own `author` must be an e-mail address,
 * which agents do not have. The self link (`atom:link`) lets readers find the feed again.
 */
export function renderRss(feed: FeedDocument): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    "<channel>",
    element("title", feed.title),
    element("link", feed.pageUrl),
    element("description", feed.description),
    emptyElement("atom:link", {
      href: `${feed.feedUrl}.rss`,
      rel: "self",
      type: "application/rss+xml",
    }),
    element("lastBuildDate", lastUpdated(feed).toUTCString()),
    element("generator", `${SOFTWARE_NAME} ${SOFTWARE_VERSION}`),
    ...feed.entries.map(item),
    "</channel>",
    "</rss>",
    "",
  ].join("\n");
}

function item(entry: FeedEntry): string {
  return [
    "<item>",
    element("title", entry.title),
    element("link", entry.url),
    element("guid", entry.url, { isPermaLink: "true" }),
    element("pubDate", entry.published.toUTCString()),
    element("dc:creator", entry.authorName),
    entry.category === undefined
      ? ""
      : element(
          "category",
          entry.category.term,
          entry.category.url === undefined ? {} : { domain: entry.category.url },
        ),
    element("description", entry.html),
    "</item>",
  ]
    .filter((line) => line !== "")
    .join("");
}
