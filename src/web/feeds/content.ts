import { escapeHtml, textToHtml } from "../../lib/html.ts";
import { renderMarkdown } from "../../lib/markdown.ts";

/** What a reader is shown of one post. */
export interface PostBody {
  readonly isLocal: boolean;
  /** A local post's markdown; a remote post's visible text. */
  readonly content: string | null;
  /** A remote post's HTML, sanitized on receipt; undefined when it came without. */
  readonly remoteHtml: string | undefined;
  /** A link post's link. */
  readonly url: string | null;
}

/**
 * A post's body as HTML: a local post's markdown rendered as everywhere else (raw HTML in it stays
 * text), a remote post's sanitized HTML, or else its text escaped; a link post's link first.
 */
export function postBodyHtml(post: PostBody, localHost: string): string {
  const link =
    post.url === null
      ? ""
      : `<p><a href="${escapeHtml(post.url)}" rel="nofollow noopener ugc">${escapeHtml(post.url)}</a></p>`;
  return link + bodyHtml(post, localHost);
}

function bodyHtml(post: PostBody, localHost: string): string {
  if (!post.isLocal) return post.remoteHtml ?? textToHtml(post.content ?? "");
  if (post.content === null || post.content === "") return "";
  return renderMarkdown(post.content, { localHost }).html;
}
