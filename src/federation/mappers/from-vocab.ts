import { type Article, Link, type Note, type Page } from "@fedify/vocab";
import { REMOTE_TEXT_LIMITS } from "../../domain/limits.ts";
import { sanitizeRemoteHtml, textToHtml } from "../../lib/sanitize-html.ts";
import { htmlToText } from "../../lib/text.ts";

// Remote objects → what we keep: text (markdown `source` when given, else the HTML's visible
// text, see lib/text.ts), which the API returns and search reads, and beside it the HTML put
// through an allow-list (lib/sanitize-html.ts), which our pages show.

/** What we keep of a remote Page: the markdown source when given, else the HTML's text. */
export interface PageFields {
  readonly title: string;
  readonly content: string | null;
  /** The content as sanitized HTML, for pages; null when it has no visible text. */
  readonly contentHtml: string | null;
  readonly url: string | null;
  readonly publishedAt: Date | undefined;
}

export async function fromPage(page: Page | Note | Article): Promise<PageFields> {
  const source = page.source?.content?.toString();
  let url: string | null = null;
  for await (const attachment of page.getAttachments()) {
    if (
      attachment instanceof Link &&
      attachment.href !== null &&
      /^https?:$/.test(attachment.href.protocol)
    ) {
      url = attachment.href.href;
      break;
    }
  }
  return {
    title:
      withoutNul((page.name?.toString() ?? "").slice(0, REMOTE_TEXT_LIMITS.title)) || "(untitled)",
    content: textOf(source, page.content, REMOTE_TEXT_LIMITS.postContent) || null,
    contentHtml: remoteSafeHtml(page.content, REMOTE_TEXT_LIMITS.postContent),
    url,
    publishedAt: page.published === null ? undefined : new Date(page.published.toString()),
  };
}

/**
 * What we keep of a remote post of any type (a Page, or a Note or Article replying to nothing).
 * One without a `name`, as microblogs send, takes the first line of its text for title, as Lemmy
 * does.
 */
export async function fromPost(post: Page | Note | Article): Promise<PageFields> {
  const fields = await fromPage(post);
  const named = (post.name?.toString() ?? "").trim() !== "";
  const firstLine = fields.content
    ?.split("\n")
    .map((line) => line.trim())
    .find((line) => line !== "");
  if (named || firstLine === undefined) return fields;
  return { ...fields, title: firstLine.slice(0, REMOTE_TEXT_LIMITS.title) };
}

/** The text of a remote comment (Note), or "" when it has none. */
export function fromNote(note: Note | Article): string {
  const source = note.source?.content?.toString();
  return textOf(source, note.content, REMOTE_TEXT_LIMITS.commentContent);
}

/** The sanitized HTML of a remote comment (Note), or null when it has no visible text. */
export function fromNoteHtml(note: Note): string | null {
  return remoteSafeHtml(note.content, REMOTE_TEXT_LIMITS.commentContent);
}

/** The markdown source when given, else the visible text of the HTML, cut to `max`. */
function textOf(source: string | undefined, html: unknown, max: number): string {
  return withoutNul((source ?? remoteHtmlToText(html, max)).slice(0, max));
}

/** NUL is no character of any text we show, and PostgreSQL refuses it in text columns. */
function withoutNul(text: string): string {
  return text.replaceAll("\u0000", "");
}

/**
 * The visible text of a remote HTML value (a content or summary), cut to `max`. Only the first
 * REMOTE_TEXT_LIMITS.markup characters are read, however long the value.
 */
export function remoteHtmlToText(html: unknown, max: number): string {
  const markup = html === null || html === undefined ? "" : String(html);
  return withoutNul(htmlToText(markup.slice(0, REMOTE_TEXT_LIMITS.markup)).slice(0, max));
}

/**
 * A remote HTML value (a content or summary) as sanitized HTML, or null when it has no visible
 * text. HTML whose text is longer than `max` is kept as that text cut to `max` (in paragraphs),
 * so a page never shows more than the API's text holds.
 */
export function remoteSafeHtml(html: unknown, max: number): string | null {
  const markup = html === null || html === undefined ? "" : String(html);
  const cut = markup.slice(0, REMOTE_TEXT_LIMITS.markup);
  const text = htmlToText(cut);
  if (text.trim() === "") return null;
  return withoutNul(text.length > max ? textToHtml(text.slice(0, max)) : sanitizeRemoteHtml(cut));
}
