import type { FeedEntry } from "./entries.ts";

/** A feed as both formats show it. */
export interface FeedDocument {
  readonly title: string;
  readonly description: string;
  /** The HTML page the feed follows. */
  readonly pageUrl: string;
  /** The feed's own URL, without its `.rss`/`.atom` ending. */
  readonly feedUrl: string;
  /** Newest first. */
  readonly entries: readonly FeedEntry[];
}

// An empty feed has changed since nothing: the epoch keeps its date (and its ETag) stable.
const NEVER = new Date(0);

/** When the feed last changed: its latest post's last change. */
export function lastUpdated(feed: FeedDocument): Date {
  let latest = NEVER;
  for (const entry of feed.entries) {
    if (entry.updated > latest) latest = entry.updated;
    if (entry.published > latest) latest = entry.published;
  }
  return latest;
}
