import {
  type Actor,
  type Object as APObject,
  Article,
  ChatMessage,
  type DocumentLoader,
  isActor,
  Link,
  Mention,
  Note,
  PropertyValue,
  PUBLIC_COLLECTION,
  Question,
} from "@fedify/vocab";

// What a Mastodon-API server built on Fedify (Hollo 0.10) keeps about the fediverse, and how it
// turns incoming objects into that: a model of fedify-dev/hollo src/federation/account.ts
// (persistAccount) and src/federation/post.ts (isPost, persistPost), written from their
// behaviour, for tests. Nothing here knows our instance's code.

/** A post type Hollo shows (src/federation/post.ts isPost): anything else is dropped. */
export type ASPost = Note | Article | Question | ChatMessage;

export function isPost(object: unknown): object is ASPost {
  return (
    object instanceof Note ||
    object instanceof Article ||
    object instanceof Question ||
    object instanceof ChatMessage
  );
}

/** The short AS2 type name of a parsed object, for log lines ("Page", "Update"). */
export function typeName(object: unknown): string {
  const typeId = (object as { constructor?: { typeId?: URL } } | null)?.constructor?.typeId;
  return typeId === undefined ? String(object) : typeId.hash.slice(1) || typeId.pathname;
}

/** A remote account as the server caches it (Mastodon API: Account). */
export interface CachedAccount {
  readonly iri: string;
  readonly type: string;
  readonly username: string;
  /** display_name: the actor's name, or its preferredUsername. */
  readonly name: string;
  /** note: the actor's summary (HTML). */
  readonly bio: string;
  /** fields: name → value HTML, from the actor's PropertyValue attachments. */
  readonly fields: Readonly<Record<string, string>>;
  /** avatar and header: the URLs of the actor's icon and image, linked, not copied. */
  readonly avatar: string | undefined;
  readonly header: string | undefined;
  readonly inbox: string;
  readonly sharedInbox: string | undefined;
  /** statuses_count, followers_count, following_count: the collections' totalItems. */
  readonly postsCount: number;
  readonly followersCount: number;
  readonly followingCount: number;
}

export type Visibility = "public" | "unlisted" | "private" | "direct";

/** A post the server has stored (remote or its own). */
export interface StoredPost {
  readonly iri: string;
  readonly type: string;
  readonly author: string;
  /** Shown as the content warning: a non-empty summary hides the body behind it. */
  summary: string;
  contentHtml: string;
  url: string;
  readonly inReplyTo: string | undefined;
  visibility: Visibility;
  mentions: string[];
  repliesCount: number;
  favouritesCount: number;
  reblogsCount: number;
}

/** A boost: someone's Announce of a post. */
export interface StoredShare {
  readonly id: string;
  readonly by: string;
  readonly post: string;
}

export interface Store {
  readonly accounts: Map<string, CachedAccount>;
  readonly posts: Map<string, StoredPost>;
  /** Boosts, in arrival order, by Announce id. */
  readonly shares: Map<string, StoredShare>;
  /** Arrival order of posts, for the timeline. */
  readonly arrivals: string[];
}

export function createStore(): Store {
  return { accounts: new Map(), posts: new Map(), shares: new Map(), arrivals: [] };
}

interface LoadOptions {
  documentLoader: DocumentLoader;
  contextLoader: DocumentLoader;
  suppressError: true;
}

/** Caches (or refreshes) an actor's profile, as Hollo's persistAccount does. */
export async function persistAccount(
  store: Store,
  actor: Actor,
  options: LoadOptions,
): Promise<CachedAccount | undefined> {
  if (actor.id === null || actor.inboxId === null) return undefined;
  if (actor.name === null && actor.preferredUsername === null) return undefined;
  const fields: Record<string, string> = {};
  for await (const attachment of actor.getAttachments(options)) {
    if (attachment instanceof PropertyValue && attachment.name !== null && attachment.value) {
      fields[attachment.name.toString()] = attachment.value.toString();
    }
  }
  const total = async (collection: Promise<{ totalItems: number | null } | null>) =>
    (await collection.catch(() => null))?.totalItems ?? 0;
  const account: CachedAccount = {
    iri: actor.id.href,
    type: typeName(actor),
    username: actor.preferredUsername?.toString() ?? "",
    name: (actor.name ?? actor.preferredUsername)?.toString() ?? "",
    bio: actor.summary?.toString() ?? "",
    fields,
    avatar: pictureUrl(await actor.getIcon(options).catch(() => null)),
    header: pictureUrl(await actor.getImage(options).catch(() => null)),
    inbox: actor.inboxId.href,
    sharedInbox: actor.endpoints?.sharedInbox?.href,
    postsCount: await total(actor.getOutbox(options)),
    followersCount: await total(actor.getFollowers(options)),
    followingCount: await total(actor.getFollowing(options)),
  };
  store.accounts.set(account.iri, account);
  return account;
}

function pictureUrl(image: { url: URL | Link | null } | null): string | undefined {
  return image?.url instanceof URL ? image.url.href : undefined;
}

/** The account behind `iri`, fetched and cached on first sight. */
export async function accountOf(
  store: Store,
  iri: URL,
  lookup: (url: URL) => Promise<APObject | null>,
  options: LoadOptions,
): Promise<CachedAccount | undefined> {
  const known = store.accounts.get(iri.href);
  if (known !== undefined) return known;
  const actor = await lookup(iri);
  return isActor(actor) ? persistAccount(store, actor, options) : undefined;
}

/** Stores (or overwrites) a post, as Hollo's persistPost does. */
export async function persistPost(
  store: Store,
  object: ASPost,
  author: CachedAccount,
  options: LoadOptions,
): Promise<StoredPost | undefined> {
  if (object.id === null) return undefined;
  const mentions: string[] = [];
  for await (const tag of object.getTags(options)) {
    if (tag instanceof Mention && tag.href !== null) mentions.push(tag.href.href);
  }
  const to = new Set(object.toIds.map((u) => u.href));
  const cc = new Set(object.ccIds.map((u) => u.href));
  const followers = `${author.iri}/followers`;
  const visibility: Visibility = to.has(PUBLIC_COLLECTION.href)
    ? "public"
    : cc.has(PUBLIC_COLLECTION.href)
      ? "unlisted"
      : to.has(followers)
        ? "private"
        : "direct";
  const url = object.url instanceof Link ? object.url.href?.href : object.url?.href;
  const existing = store.posts.get(object.id.href);
  const post: StoredPost = {
    iri: object.id.href,
    type: typeName(object),
    author: author.iri,
    // NOTE: Hollo stores `summary` as the status's spoiler_text (a content warning) and ignores
    // `name` for anything but poll options.
    summary: object.summary?.toString() ?? "",
    contentHtml: object.content?.toString() ?? "",
    url: url ?? object.id.href,
    inReplyTo: object.replyTargetId?.href,
    visibility,
    mentions,
    repliesCount: existing?.repliesCount ?? 0,
    favouritesCount: existing?.favouritesCount ?? 0,
    reblogsCount: existing?.reblogsCount ?? 0,
  };
  store.posts.set(post.iri, post);
  if (existing === undefined) {
    store.arrivals.push(post.iri);
    const parent = post.inReplyTo === undefined ? undefined : store.posts.get(post.inReplyTo);
    if (parent !== undefined) parent.repliesCount++;
  }
  return post;
}

/**
 * The link a Mastodon-API server makes a preview card of: the last link in the content that is
 * neither a hashtag (rel="tag") nor a mention (class="mention"), as Hollo's extractPreviewLink.
 */
export function previewLink(html: string): string | undefined {
  const anchors = [...html.matchAll(/<a\b([^>]*)>/giu)].map((m) => m[1] ?? "");
  const attr = (attrs: string, name: string) =>
    new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, "iu").exec(attrs)?.slice(1).join("");
  const links = anchors.filter(
    (a) =>
      attr(a, "href") &&
      !(attr(a, "rel") ?? "").split(/\s+/).includes("tag") &&
      !(attr(a, "class") ?? "").split(/\s+/).includes("mention"),
  );
  const last = links.at(-1);
  return last === undefined ? undefined : decodeEntities(attr(last, "href") ?? "");
}

function decodeEntities(text: string): string {
  return text.replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#39;", "'");
}
