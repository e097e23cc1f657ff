import { createFederation, generateCryptoKeyPair, MemoryKvStore } from "@fedify/fedify";
import {
  Accept,
  Announce,
  type Object as APObject,
  Create,
  Delete,
  Endpoints,
  Follow,
  isActor,
  Like,
  lookupObject,
  Mention,
  Note,
  Person,
  PUBLIC_COLLECTION,
  type Recipient,
  Undo,
  Update,
} from "@fedify/vocab";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import { toInstant } from "../../src/lib/temporal.ts";
import {
  accountOf,
  type CachedAccount,
  createStore,
  isPost,
  persistAccount,
  persistPost,
  previewLink,
  type StoredPost,
  typeName,
  type Visibility,
} from "./mastodon-like-store.ts";

// A Mastodon-API server built on Fedify, played in-process: one person on https://<host>, with
// real keys, inbox, outbox and followers, so every request it sends or takes is really signed.
// Its inbox keeps what Hollo 0.10 keeps (fedify-dev/hollo src/federation/index.ts inbox
// listeners, inbox.ts, post.ts, account.ts) and drops the rest with the reason Hollo logs.

// biome-ignore lint/suspicious/noExplicitAny: activities as received are arbitrary JSON.
export type Json = any;

/** A status as the person's home timeline shows it (Mastodon API: Status, trimmed). */
export interface Status {
  /** The post's ActivityPub id. */
  readonly id: string;
  readonly type: string;
  /** The author's actor id. */
  readonly author: string;
  /** The content warning: when not empty, the body is hidden behind it. */
  readonly spoiler_text: string;
  /** The body as HTML. */
  readonly content: string;
  readonly url: string;
  readonly visibility: Visibility;
  readonly in_reply_to: string | undefined;
  /** Who boosted it into the timeline, when it came as a boost. */
  readonly boostedBy: string | undefined;
  /** The link its preview card shows. */
  readonly card: string | undefined;
}

/** Something the server received and dropped, with the reason it logs. */
export interface Dropped {
  readonly activity: string;
  readonly reason: string;
}

export interface MastodonLike {
  readonly host: string;
  /** The person's actor id (https://<host>/users/<username>). */
  readonly actorId: string;
  /** Answers requests addressed to this host (plug into the network: net.addHost). */
  fetch(request: Request): Promise<Response>;
  /** Every activity POSTed to this server's inboxes, as sent. */
  readonly received: readonly { inbox: string; body: Json }[];
  /** What it received and dropped, with its log line. */
  readonly dropped: readonly Dropped[];
  /** Follows an actor, by actor URL or `name@host` (WebFinger). */
  follow(target: string): Promise<void>;
  /** Whether the followee accepted the person's follow. */
  isFollowing(actorUrl: string): boolean;
  /** The person's home timeline, oldest first. */
  timeline(): Status[];
  /** Posts a status; returns its id. `mentions` are actor URLs. */
  post(
    text: string,
    options?: { mentions?: string[]; visibility?: "public" | "direct" },
  ): Promise<string>;
  /**
   * Replies to a post (fetched by its URL, unless already here); returns the reply's id. A direct
   * reply (Mastodon's reply to a direct message) is addressed to the post's author alone.
   */
  reply(
    toObjectUrl: string,
    text: string,
    options?: { visibility?: "public" | "direct" },
  ): Promise<string>;
  /** Direct messages (visibility "direct") sent and received, oldest first: Mastodon's conversations. */
  directMessages(): Status[];
  favourite(objectUrl: string): Promise<void>;
  unfavourite(objectUrl: string): Promise<void>;
  boost(objectUrl: string): Promise<void>;
  unboost(objectUrl: string): Promise<void>;
  /** The profile the server has cached for an actor (what people there see). */
  profileOf(actorUrl: string): CachedAccount | undefined;
  /** A post the server has stored, by id. */
  postOf(iri: string): StoredPost | undefined;
}

/** Starts the server for `username` on `https://<host>`. */
export async function createMastodonLike(host: string, username = "alice"): Promise<MastodonLike> {
  const origin = `https://${host}`;
  const actorId = `${origin}/users/${username}`;
  const keys = [
    await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"),
    await generateCryptoKeyPair("Ed25519"),
  ];
  const store = createStore();
  const followers = new Map<string, Recipient>();
  const following = new Map<string, { followId: string; accepted: boolean }>();
  const documents = new Map<string, Json>();
  const outbox: string[] = [];
  const received: { inbox: string; body: Json }[] = [];
  const dropped: Dropped[] = [];
  const favourites = new Map<string, string>();
  const boosts = new Map<string, string>();
  // Uncached, so that a profile or count read now is the remote's current one.
  const loader = getDocumentLoader({ allowPrivateAddress: true });
  const load = { documentLoader: loader, contextLoader: loader, suppressError: true } as const;

  const federation = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true });
  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      if (identifier !== username) return null;
      const pairs = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: username,
        url: new URL(`/@${identifier}`, origin),
        inbox: ctx.getInboxUri(identifier),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: pairs[0]?.cryptographicKey,
        assertionMethods: pairs.map((p) => p.multikey),
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === username ? keys : []));
  federation
    .setFollowersDispatcher("/users/{identifier}/followers", () => ({
      items: [...followers.values()],
    }))
    .setCounter(() => followers.size);
  federation
    .setOutboxDispatcher("/users/{identifier}/outbox", () => ({
      items: [],
    }))
    .setCounter(() => outbox.length);

  const drop = (activity: string, reason: string): void => {
    dropped.push({ activity, reason });
  };
  const lookupUrl = (url: URL): Promise<APObject | null> =>
    lookupObject(url, { documentLoader: loader, contextLoader: loader }).catch(() => null);
  const lookup = lookupUrl;
  const authorOf = async (post: APObject) =>
    post.attributionIds[0] === undefined
      ? undefined
      : accountOf(store, post.attributionIds[0], lookup, load);

  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Follow, async (ctx, follow) => {
      const actor = await follow.getActor(load);
      if (follow.id === null || !isActor(actor) || actor.id === null) return;
      if (follow.objectId?.href !== actorId) return drop("Follow", "Invalid following");
      await persistAccount(store, actor, load);
      followers.set(actor.id.href, actor);
      await ctx.sendActivity(
        { identifier: username },
        actor,
        new Accept({
          id: new URL(`#accepts/${actor.id.href}`, actorId),
          actor: new URL(actorId),
          object: follow,
        }),
      );
    })
    .on(Accept, async (_ctx, accept) => {
      const object = await accept.getObject({ ...load, crossOrigin: "trust" });
      const followee = accept.actorId?.href;
      const follow = followee === undefined ? undefined : following.get(followee);
      if (follow === undefined) return drop("Accept", "Accept of no follow of ours");
      if (accept.objectId?.href === follow.followId || object instanceof Follow) {
        follow.accepted = true;
      }
    })
    .on(Create, async (_ctx, create) => {
      const object = await create.getObject(load);
      // A Note that replies and has a name is a vote on a poll (Hollo's onVoted).
      if (object instanceof Note && object.replyTargetId !== null && object.name !== null) {
        return drop("Create", "Vote on a poll that is not ours");
      }
      if (!isPost(object))
        return drop("Create", `Unsupported object on Create: ${typeName(object)}`);
      const author = await authorOf(object);
      if (author === undefined) return drop("Create", "Unknown author");
      await persistPost(store, object, author, load);
    })
    .on(Announce, async (_ctx, announce) => {
      const object = await announce.getObject(load);
      if (!isPost(object)) {
        return drop("Announce", `Unsupported object on Announce: ${typeName(object)}`);
      }
      const author = await authorOf(object);
      const by = announce.actorId?.href;
      if (author === undefined || by === undefined || announce.id === null) {
        return drop("Announce", "Announce without author or actor");
      }
      const post = await persistPost(store, object, author, load);
      if (post === undefined) return;
      if (!store.shares.has(announce.id.href)) post.reblogsCount++;
      store.shares.set(announce.id.href, { id: announce.id.href, by, post: post.iri });
    })
    .on(Update, async (_ctx, update) => {
      const object = await update.getObject(load);
      if (isActor(object)) {
        if (object.id?.href !== update.actorId?.href)
          return drop("Update", "Actor updated by another");
        await persistAccount(store, object, load);
        return;
      }
      if (!isPost(object))
        return drop("Update", `Unsupported object on Update: ${typeName(object)}`);
      const origins = [update.actorId, object.id, object.attributionId].map((u) => u?.origin);
      if (new Set(origins).size !== 1)
        return drop("Update", "Origins of actor, object and author differ");
      const author = await authorOf(object);
      if (author !== undefined) await persistPost(store, object, author, load);
    })
    .on(Delete, async (_ctx, del) => {
      const post = del.objectId === null ? undefined : store.posts.get(del.objectId.href);
      if (post === undefined || new URL(post.author).origin !== del.actorId?.origin) return;
      store.posts.delete(post.iri);
    })
    .on(Like, async (_ctx, like) => {
      const post = like.objectId === null ? undefined : store.posts.get(like.objectId.href);
      if (post !== undefined) post.favouritesCount++;
    })
    .on(Undo, async (_ctx, undo) => {
      const object = await undo.getObject({ ...load, crossOrigin: "trust" });
      if (object instanceof Follow && undo.actorId !== null) followers.delete(undo.actorId.href);
      else if (object instanceof Announce && object.id !== null)
        store.shares.delete(object.id.href);
      else drop("Undo", `Unsupported object on Undo: ${typeName(object)}`);
    })
    .onError((_ctx, error) => {
      drop("inbox", `Handler failed: ${error.message}`);
    });

  const ctx = federation.createContext(new URL(origin), undefined);
  const me = { identifier: username };

  const remember = async (activity: APObject) => {
    if (activity.id === null) return;
    documents.set(activity.id.href, await activity.toJsonLd({ format: "compact" }));
  };
  const recipientOf = async (iri: string): Promise<Recipient> => {
    const account = await accountOf(store, new URL(iri), lookup, load);
    if (account === undefined) throw new Error(`Cannot resolve ${iri}`);
    return {
      id: new URL(account.iri),
      inboxId: new URL(account.inbox),
      endpoints:
        account.sharedInbox === undefined
          ? null
          : new Endpoints({ sharedInbox: new URL(account.sharedInbox) }),
    };
  };
  const deliver = async (
    activity: Create | Announce | Like | Undo,
    to: string[],
    toFollowers: boolean,
  ) => {
    await remember(activity);
    for (const iri of to) await ctx.sendActivity(me, await recipientOf(iri), activity);
    if (toFollowers && followers.size > 0) {
      await ctx.sendActivity(me, "followers", activity, { preferSharedInbox: true });
    }
  };
  const publish = async (
    text: string,
    options: { mentions: string[]; visibility: "public" | "direct"; inReplyTo?: StoredPost },
  ): Promise<string> => {
    const n = outbox.length + 1 + store.arrivals.length;
    const id = new URL(`${actorId}/statuses/${n}`);
    const mentioned = await Promise.all(options.mentions.map((m) => recipientOf(m)));
    const accounts = options.mentions.map((m) => store.accounts.get(m));
    const links = accounts.map(
      (a) =>
        `<span class="h-card"><a href="${a?.iri}" class="u-url mention">@<span>${a?.username}</span></a></span>`,
    );
    const isPublic = options.visibility === "public";
    const note = new Note({
      id,
      attribution: new URL(actorId),
      content: `<p>${[...links, escapeHtml(text)].join(" ")}</p>`,
      url: new URL(`/@${username}/${n}`, origin),
      replyTarget: options.inReplyTo === undefined ? null : new URL(options.inReplyTo.iri),
      tos: isPublic ? [PUBLIC_COLLECTION] : options.mentions.map((m) => new URL(m)),
      ccs: isPublic
        ? [ctx.getFollowersUri(username), ...options.mentions.map((m) => new URL(m))]
        : [],
      tags: accounts.map(
        (a) => new Mention({ href: new URL(a?.iri ?? ""), name: `@${a?.username}` }),
      ),
      published: now(),
    });
    const create = new Create({
      id: new URL(`${id.href}/activity`),
      actor: new URL(actorId),
      object: note,
      tos: note.toIds,
      ccs: note.ccIds,
    });
    documents.set(id.href, await note.toJsonLd({ format: "compact" }));
    outbox.push(id.href);
    const me = store.accounts.get(actorId) ?? ownAccount();
    store.accounts.set(actorId, me);
    await persistPost(store, note, me, load);
    await deliver(
      create,
      mentioned.map((r) => r.id?.href ?? ""),
      isPublic,
    );
    return id.href;
  };
  const ownAccount = (): CachedAccount => ({
    iri: actorId,
    type: "Person",
    username,
    name: username,
    bio: "",
    fields: {},
    avatar: undefined,
    header: undefined,
    inbox: `${actorId}/inbox`,
    sharedInbox: `${origin}/inbox`,
    postsCount: 0,
    followersCount: 0,
    followingCount: 0,
  });
  const remotePost = async (url: string): Promise<StoredPost> => {
    const known = store.posts.get(url);
    if (known !== undefined) return known;
    const object = await lookupUrl(new URL(url));
    if (!isPost(object))
      throw new Error(`${url} is not a post this server shows (${typeName(object)})`);
    const author = await authorOf(object);
    const post = author === undefined ? undefined : await persistPost(store, object, author, load);
    if (post === undefined) throw new Error(`Cannot store ${url}`);
    return post;
  };

  return {
    host,
    actorId,
    received,
    dropped,
    async fetch(request) {
      if (request.method === "POST") {
        received.push({
          inbox: request.url,
          body: await request
            .clone()
            .json()
            .catch(() => null),
        });
      }
      const url = new URL(request.url);
      return federation.fetch(request, {
        contextData: undefined,
        onNotFound: () => {
          const document = documents.get(`${url.origin}${url.pathname}`);
          return document === undefined
            ? new Response("Not found", { status: 404 })
            : Response.json(document, { headers: { "content-type": "application/activity+json" } });
        },
        onNotAcceptable: () => new Response("Not acceptable", { status: 406 }),
      });
    },
    async follow(target) {
      const object = target.startsWith("https://")
        ? await lookupUrl(new URL(target))
        : await ctx.lookupObject(`acct:${target.replace(/^@/, "")}`, load);
      if (!isActor(object) || object.id === null) throw new Error(`No actor at ${target}`);
      await persistAccount(store, object, load);
      const followId = `${actorId}#follows/${crypto.randomUUID()}`;
      following.set(object.id.href, { followId, accepted: false });
      await ctx.sendActivity(
        me,
        object,
        new Follow({ id: new URL(followId), actor: new URL(actorId), object: object.id }),
      );
    },
    isFollowing: (iri) => following.get(iri)?.accepted === true,
    timeline() {
      const followed = (iri: string) => iri === actorId || following.get(iri)?.accepted === true;
      const statuses: Status[] = [];
      const seen = seenAs;
      for (const iri of store.arrivals) {
        const post = store.posts.get(iri);
        if (post === undefined) continue;
        const mentioned = post.mentions.includes(actorId);
        if (mentioned || (post.visibility !== "direct" && followed(post.author))) {
          statuses.push(seen(post));
        }
      }
      for (const share of store.shares.values()) {
        const post = store.posts.get(share.post);
        if (post !== undefined && followed(share.by)) statuses.push(seen(post, share.by));
      }
      return statuses;
    },
    post: (text, options = {}) =>
      publish(text, {
        mentions: options.mentions ?? [],
        visibility: options.visibility ?? "public",
      }),
    async reply(toObjectUrl, text, options = {}) {
      const parent = await remotePost(toObjectUrl);
      return publish(text, {
        mentions: [parent.author],
        visibility: options.visibility ?? "public",
        inReplyTo: parent,
      });
    },
    directMessages() {
      return store.arrivals
        .map((iri) => store.posts.get(iri))
        .filter((post): post is StoredPost => post?.visibility === "direct")
        .map((post) => seenAs(post));
    },
    async favourite(objectUrl) {
      const post = await remotePost(objectUrl);
      const id = `${actorId}#likes/${crypto.randomUUID()}`;
      favourites.set(post.iri, id);
      const like = new Like({
        id: new URL(id),
        actor: new URL(actorId),
        object: new URL(post.iri),
      });
      await deliver(like, [post.author], false);
    },
    async unfavourite(objectUrl) {
      const post = await remotePost(objectUrl);
      const id = favourites.get(post.iri);
      if (id === undefined) throw new Error(`${objectUrl} was not favourited`);
      favourites.delete(post.iri);
      const like = new Like({
        id: new URL(id),
        actor: new URL(actorId),
        object: new URL(post.iri),
      });
      const undo = new Undo({ id: new URL(`${id}/undo`), actor: new URL(actorId), object: like });
      await deliver(undo, [post.author], false);
    },
    async boost(objectUrl) {
      const post = await remotePost(objectUrl);
      const id = `${actorId}/statuses/${crypto.randomUUID()}/activity`;
      boosts.set(post.iri, id);
      await deliver(announceOf(id, post), [post.author], true);
    },
    async unboost(objectUrl) {
      const post = await remotePost(objectUrl);
      const id = boosts.get(post.iri);
      if (id === undefined) throw new Error(`${objectUrl} was not boosted`);
      boosts.delete(post.iri);
      const undo = new Undo({
        id: new URL(`${id}#undo`),
        actor: new URL(actorId),
        object: announceOf(id, post),
      });
      await deliver(undo, [post.author], true);
    },
    profileOf: (iri) => store.accounts.get(iri),
    postOf: (iri) => store.posts.get(iri),
  };

  function announceOf(id: string, post: StoredPost): Announce {
    return new Announce({
      id: new URL(id),
      actor: new URL(actorId),
      object: new URL(post.iri),
      tos: [PUBLIC_COLLECTION],
      ccs: [new URL(post.author), new URL(`${actorId}/followers`)],
      published: now(),
    });
  }
}

/** A stored post as the Mastodon API shows it. */
function seenAs(post: StoredPost, boostedBy?: string): Status {
  return {
    id: post.iri,
    type: post.type,
    author: post.author,
    spoiler_text: post.summary,
    content: post.contentHtml,
    url: post.url,
    visibility: post.visibility,
    in_reply_to: post.inReplyTo,
    boostedBy,
    card: previewLink(post.contentHtml),
  };
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function now(): Temporal.Instant {
  return toInstant(new Date().toISOString());
}

export type { CachedAccount, StoredPost } from "./mastodon-like-store.ts";
