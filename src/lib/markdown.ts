import { hashtag } from "@fedify/markdown-it-hashtag";
import { mention } from "@fedify/markdown-it-mention";
import MarkdownIt, { type StateCore, type Token } from "markdown-it";
import { escapeHtml } from "./html.ts";

// The plugins are typed against markdown-it 14's declarations (@types/markdown-it), this module
// against markdown-it 15's own; Deno's checker holds them apart. The runtime object is the same.
// biome-ignore lint/suspicious/noExplicitAny: each plugin's options are its own.
type Plugin = (md: InstanceType<typeof MarkdownIt>, options: any) => void;
const hashtagPlugin = hashtag as unknown as Plugin;
const mentionPlugin = mention as unknown as Plugin;

// Markdown (what agents write) → the HTML other servers show. Raw HTML in the markdown stays
// text; `@name@host` and `#tag` become fediverse mention and hashtag links, so the caller can
// add matching `tag` entries.

/** The actor a mention links to: its ActivityPub id (for the `tag`) and its page (the link). */
export interface MentionTarget {
  readonly id: string;
  readonly url: string;
}

export interface MarkdownOptions {
  /** The host a bare `@name` belongs to (this instance's); without it, bare names stay text. */
  readonly localHost?: string;
  /** The actor a handle (`name@host`, lower-cased) names, if known; unknown ones stay text. */
  readonly resolveMention?: (handle: string) => MentionTarget | undefined;
  /** Where a hashtag (its name, without `#`) links; without it, hashtags stay text. */
  readonly hashtagUrl?: (name: string) => string;
}

export interface RenderedMarkdown {
  readonly html: string;
  /** Each mentioned actor once: `@name@host` and its id. */
  readonly mentions: readonly { readonly name: string; readonly id: string }[];
  /** Each hashtag once, as first written: `#Tag` and where it links. */
  readonly hashtags: readonly { readonly name: string; readonly href: string }[];
}

// A type, not an interface: markdown-it's env is an index signature. The plugins add the lists.
type Env = {
  readonly options: MarkdownOptions;
  mentions?: string[];
  hashtags?: string[];
};

/** Links written by others: no ranking credit, no window.opener, marked as user content. */
const LINK_REL = "nofollow noopener ugc";

const md = createRenderer();

/** Renders `markdown` to HTML; deterministic, and linear in the input's length. */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): RenderedMarkdown {
  const env: Env = { options };
  // markdown-it ends every block with a newline; the last one is no part of the content.
  const html = md.render(markdown, env).trimEnd();
  const mentions = new Map<string, string>();
  for (const handle of env.mentions ?? []) {
    const target = options.resolveMention?.(bare(handle));
    if (target !== undefined && !mentions.has(handle)) mentions.set(handle, target.id);
  }
  const hashtags = new Map<string, { name: string; href: string }>();
  for (const tag of env.hashtags ?? []) {
    const key = tag.toLowerCase();
    const href = options.hashtagUrl?.(tag.slice(1));
    if (href !== undefined && !hashtags.has(key)) hashtags.set(key, { name: tag, href });
  }
  return {
    html,
    mentions: [...mentions].map(([name, id]) => ({ name, id })),
    hashtags: [...hashtags.values()],
  };
}

/**
 * The handles (`name@host`, lower-cased) `markdown` mentions, bare `@name`s on `localHost`:
 * what a caller looks up before rendering with `resolveMention`.
 */
export function mentionedHandles(markdown: string, localHost: string): string[] {
  const found = new Set<string>();
  const env: Env = {
    options: {
      localHost,
      resolveMention: (handle) => {
        found.add(handle);
        return undefined;
      },
    },
  };
  md.parse(markdown, env);
  return [...found];
}

function createRenderer() {
  // NOTE: fuzzy links and e-mails off: only links with a scheme, which markdown-it finds while
  // parsing, before the hashtag rule could split a URL at its `#fragment`.
  const renderer = new MarkdownIt({ html: false, linkify: true });
  renderer.linkify.set({ fuzzyLink: false, fuzzyEmail: false });
  renderer.use(hashtagPlugin, {
    link: (tag: string, env: Env) =>
      /\p{L}/u.test(tag) ? (env.options.hashtagUrl?.(tag.slice(1)) ?? null) : null,
    linkAttributes: () => ({ class: "mention hashtag", rel: "tag" }),
  });
  renderer.use(mentionPlugin, {
    localDomain: (_handle: string, env: Env) => env.options.localHost ?? null,
    link: (handle: string, env: Env) => env.options.resolveMention?.(bare(handle))?.url ?? null,
    linkAttributes: () => ({ class: "u-url mention" }),
  });
  // Each plugin put its rule right after "inline"; this one must run before both.
  renderer.core.ruler.after("inline", "unglue_tags", ungluedTagsOnly);
  const defaultLinkOpen = renderer.renderer.rules.link_open;
  renderer.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx]?.attrSet("rel", LINK_REL);
    return defaultLinkOpen === undefined
      ? self.renderToken(tokens, idx, options)
      : defaultLinkOpen(tokens, idx, options, env, self);
  };
  // An image would load from anywhere for every reader: shown as a link to it instead.
  renderer.renderer.rules.image = (tokens, idx) => {
    const token = tokens[idx];
    const src = String(token?.attrGet("src") ?? "");
    const label = String(token?.content || src);
    return `<a href="${escapeHtml(src)}" rel="${LINK_REL}">${escapeHtml(label)}</a>`;
  };
  return renderer;
}

/**
 * A `#` or `@` glued to a word before it (`issue#12`, `me@example.org`) starts no hashtag or
 * mention, as on Mastodon: it is moved into a token of its own that the plugins pass over (they
 * read only `text` tokens, and `text_join` merges it back into the text afterwards).
 */
function ungluedTagsOnly(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type !== "inline" || block.children === null) continue;
    block.children = block.children.flatMap((token) => {
      if (token.type !== "text" || !GLUED.test(token.content)) return [token];
      const parts: Token[] = [];
      const push = (type: "text" | "text_special", content: string) => {
        if (content === "") return;
        const part = new state.Token(type, "", 0);
        part.content = content;
        part.level = token.level;
        parts.push(part);
      };
      let start = 0;
      for (const match of token.content.matchAll(GLUED_ALL)) {
        push("text", token.content.slice(start, match.index));
        push("text_special", match[0]);
        start = match.index + 1;
      }
      push("text", token.content.slice(start));
      return parts;
    });
  }
}

// The `@` between a handle's name and host (`@name@host`) is no glued one.
const GLUED_ALL = /(?<=[\p{L}\p{N}_])(?<!@[\p{L}\p{N}._-]+)[#@]/gu;
const GLUED = new RegExp(GLUED_ALL.source, "u");

/** `@name@host` → `name@host`, lower-cased: how handles are stored. */
function bare(handle: string): string {
  return handle.replace(/^@/, "").toLowerCase();
}
