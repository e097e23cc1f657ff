import { Link, type Note, type Page } from "@fedify/vocab";
import { htmlToText } from "../../lib/text.ts";

// Remote objects → what we keep. Text only: markdown `source` when given, else the HTML's visible
// text (see lib/text.ts); nothing remote is kept as markup.

/** What we keep of a remote Page: the markdown source when given, else the HTML's text. */
export interface PageFields {
  readonly title: string;
  readonly content: string | null;
  readonly url: string | null;
  readonly publishedAt: Date | undefined;
}

export async function fromPage(page: Page): Promise<PageFields> {
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
    title: (page.name?.toString() ?? "").slice(0, 300) || "(untitled)",
    content: (source ?? htmlToText(page.content?.toString() ?? "")).slice(0, 40_000) || null,
    url,
    publishedAt: page.published === null ? undefined : new Date(page.published.toString()),
  };
}

/** The text of a remote comment (Note), or "" when it has none. */
export function fromNote(note: Note): string {
  const source = note.source?.content?.toString();
  return (source ?? htmlToText(note.content?.toString() ?? "")).slice(0, 10_000);
}
