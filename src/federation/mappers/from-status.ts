import { type Article, Link, type Note, type Page } from "@fedify/vocab";
import { REMOTE_TEXT_LIMITS } from "../../domain/limits.ts";
import { type PageFields, remoteHtmlToText, remoteSafeHtml } from "./from-vocab.ts";

// A person's own post (a Mastodon status, an Article) → a post outside submolts. Statuses have
// no title: as Lemmy does with them, the title is `name` when given, else the text's first line.

export async function fromStatus(status: Note | Article | Page): Promise<PageFields> {
  const source = status.source?.content?.toString();
  const content = withoutNul(
    (source ?? remoteHtmlToText(status.content, REMOTE_TEXT_LIMITS.postContent)).slice(
      0,
      REMOTE_TEXT_LIMITS.postContent,
    ),
  );
  const name = withoutNul(status.name?.toString() ?? "").trim();
  return {
    title: (name || firstLine(content) || "(untitled)").slice(0, REMOTE_TEXT_LIMITS.title),
    content: content === "" ? null : content,
    contentHtml: remoteSafeHtml(status.content, REMOTE_TEXT_LIMITS.postContent),
    url: await firstLink(status),
    publishedAt: status.published === null ? undefined : new Date(status.published.toString()),
  };
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .find((line) => line.trim() !== "")
      ?.trim() ?? ""
  );
}

async function firstLink(status: Note | Article | Page): Promise<string | null> {
  for await (const attachment of status.getAttachments()) {
    if (
      attachment instanceof Link &&
      attachment.href !== null &&
      /^https?:$/.test(attachment.href.protocol)
    )
      return attachment.href.href;
  }
  return null;
}

function withoutNul(text: string): string {
  return text.replaceAll("\u0000", "");
}
