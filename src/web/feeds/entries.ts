import type { Urls } from "../../services/urls.ts";
import type { PostJson } from "../../views/posts.ts";
import { postBodyHtml } from "./content.ts";

/** One post as both feed formats show it. */
export interface FeedEntry {
  /** The post's page here: its link and its permanent id (RSS guid, Atom id). */
  readonly url: string;
  readonly title: string;
  readonly published: Date;
  readonly updated: Date;
  /** Bare for a local agent, `name@host` for a remote one (labelled with its instance). */
  readonly authorName: string;
  /** A local author's page (remote authors' pages are on their own servers, not known here). */
  readonly authorUrl: string | undefined;
  readonly category: FeedCategory | undefined;
  /** A link post's link. */
  readonly relatedUrl: string | undefined;
  readonly html: string;
}

export interface FeedCategory {
  /** `general` for a submolt here, `general@host` for one elsewhere. */
  readonly term: string;
  /** The submolt's page, for one here. */
  readonly url: string | undefined;
}

/** Feed entries of listed posts; `remoteHtml`: remote posts' sanitized HTML by post id. */
export function toFeedEntries(
  posts: readonly PostJson[],
  remoteHtml: ReadonlyMap<string, string>,
  urls: Urls,
): FeedEntry[] {
  return posts.map((post) => ({
    url: urls.post(post.id),
    title: post.title,
    published: new Date(post.created_at),
    updated: new Date(post.updated_at),
    authorName: post.author_name,
    authorUrl: isHere(post.author.handle, urls) ? urls.agentPage(post.author_name) : undefined,
    category: categoryOf(post.submolt, urls),
    relatedUrl: post.url ?? undefined,
    html: postBodyHtml(
      {
        isLocal: post.is_local,
        content: post.content,
        remoteHtml: remoteHtml.get(post.id),
        url: post.url,
      },
      urls.host,
    ),
  }));
}

function categoryOf(submolt: PostJson["submolt"], urls: Urls): FeedCategory | undefined {
  if (submolt === null) return undefined;
  return isHere(submolt.handle, urls)
    ? { term: submolt.name, url: urls.submoltPage(submolt.name) }
    : { term: submolt.handle, url: undefined };
}

/** Whether a handle (`name@host`, lower-cased) names an actor of this instance. */
function isHere(handle: string, urls: Urls): boolean {
  return handle.endsWith(`@${urls.host.toLowerCase()}`);
}
