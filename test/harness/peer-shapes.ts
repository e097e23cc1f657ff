import { z } from "zod";

// What Mastodon, Lemmy and Misskey accept in an activity's JSON, recorded from their source as
// zod schemas: a payload that fails here would be refused, or dropped, by that software. Each
// schema names the file it was read from. They check structure only (types, required fields,
// single value vs array); what each peer then does with an accepted payload (a CW, a converted
// post) is in the `shows*` checks at the end. test/federation/peer-shapes.test.ts checks them
// against the real payloads in test/fixtures/activitypub, so that they are no stricter than
// the software they stand for.

const PUBLIC = ["https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"];
const url = z.url();
/** One value or an array of them (Mastodon's as_array, Lemmy's deserialize_one_or_many). */
const oneOrMany = <T extends z.ZodType>(s: T) => z.union([s, z.array(s)]);
const typed = z.object({ type: z.union([z.string(), z.array(z.string())]) }).loose();
const typeOf = (o: unknown): string[] => {
  const t = (o as { type?: unknown } | null)?.type;
  return typeof t === "string" ? [t] : Array.isArray(t) ? t.map(String) : [];
};
const isOneOf = (types: readonly string[]) => (o: unknown) =>
  typeOf(o).some((t) => types.includes(t));
/** An id given as a string, or an object with an id (Mastodon's value_or_id). */
const idOrObject = z.union([url, z.object({ id: url }).loose()]);
const idOf = (v: unknown): string | undefined =>
  typeof v === "string" ? v : Array.isArray(v) ? idOf(v[0]) : (v as { id?: string } | null)?.id;
const hostOf = (v: unknown): string | undefined => {
  const id = idOf(v);
  return id === undefined ? undefined : URL.canParse(id) ? new URL(id).host : undefined;
};
const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : [v].flat());

// ---------------------------------------------------------------------------------------------
// Mastodon 4.x: app/lib/activitypub/activity/create.rb, app/lib/activitypub/parser/status_parser.rb,
// activity/{announce,like,follow,accept,update,delete}.rb, app/services/activitypub/process_account_service.rb

/** create.rb SUPPORTED_TYPES (content shown) and CONVERTED_TYPES (shown as name + link only). */
export const MASTODON_SUPPORTED = ["Note", "Question"] as const;
export const MASTODON_CONVERTED = ["Image", "Audio", "Video", "Article", "Page", "Event"] as const;
const ACCOUNT_TYPES = ["Application", "Group", "Organization", "Person", "Service"];

/** create.rb process_tags: only Hashtag (name), Mention (href) and Emoji (name, icon.url) count. */
const mastodonTag = typed.refine((tag) => {
  const t = tag as { name?: unknown; href?: unknown; icon?: { url?: unknown } };
  if (isOneOf(["Mention"])(tag)) return typeof t.href === "string";
  if (isOneOf(["Hashtag"])(tag)) return typeof t.name === "string";
  if (isOneOf(["Emoji"])(tag)) return typeof t.name === "string" && t.icon?.url !== undefined;
  return true; // other tag types are skipped, not refused
}, "a Mention needs href, a Hashtag name, an Emoji name and icon.url");

export const mastodonPost = typed
  .extend({
    id: url,
    attributedTo: z.union([url, z.object({ id: url }).loose(), z.array(z.unknown()).min(1)]),
    content: z.string().optional(),
    tag: oneOrMany(mastodonTag).optional(),
  })
  .refine(isOneOf([...MASTODON_SUPPORTED, ...MASTODON_CONVERTED]), "not a status type")
  // invalid_origin?: the object must live on its author's host.
  .refine((o) => hostOf(o.id) === hostOf(o.attributedTo), "id not on the author's host");

export const mastodonActor = typed
  .extend({
    id: url,
    inbox: url,
    preferredUsername: z.string().min(1),
    publicKey: oneOrMany(z.object({ id: url, owner: url, publicKeyPem: z.string() }).loose()),
    attachment: oneOrMany(typed).optional(),
    // process_account_service.rb image_url: the avatar and header are Image objects' `url`.
    icon: z.object({ url }).loose().optional(),
    image: z.object({ url }).loose().optional(),
  })
  .refine(isOneOf(ACCOUNT_TYPES), "not an account type");

const mastodonActivity = <T extends z.ZodType>(type: string, object: T) =>
  typed.extend({ id: url, actor: url, object }).refine(isOneOf([type]), `not a ${type}`);

export const mastodon = {
  Create: mastodonActivity("Create", mastodonPost).refine(
    (a) => hostOf(a.actor) === hostOf(a.object.id),
    "object not on the actor's host",
  ),
  // update.rb: an account type refreshes the profile, a status type edits the status.
  Update: mastodonActivity("Update", z.union([mastodonActor, mastodonPost])),
  Delete: mastodonActivity("Delete", idOrObject),
  Like: mastodonActivity("Like", idOrObject),
  Follow: mastodonActivity("Follow", idOrObject),
  // accept.rb: the Follow by its id, or embedded.
  Accept: mastodonActivity("Accept", idOrObject),
  // announce.rb: the object must be (or resolve to) a status; see `announcesAPost`.
  Announce: mastodonActivity("Announce", z.union([url, mastodonPost])),
  actor: mastodonActor,
};

// ---------------------------------------------------------------------------------------------
// Lemmy 0.19: crates/apub/src/protocol/objects/{page,note,person}.rs,
// protocol/activities/{create_or_update/{page,note}.rs, community/announce.rs,
// following/{follow,accept}.rs, voting/vote.rs, deletion/delete.rs}. ObjectId<…> fields are plain
// URL strings; fields without deserialize_one_or_many must be arrays when present.

const lemmyTo = oneOrMany(url);
const lemmyLink = z.object({ type: z.literal("Link"), href: url }).loose();
const lemmyImage = z.object({ type: z.string(), url }).loose();

/** page.rs Page: a post (PageType: Page, Article, Note, Video, Event), never a reply. */
export const lemmyPage = z
  .object({
    type: z.enum(["Page", "Article", "Note", "Video", "Event"]),
    id: url,
    attributedTo: z.union([url, z.array(z.unknown()).length(2)]),
    to: lemmyTo,
    cc: lemmyTo.optional(),
    name: z.string(),
    content: z.string().optional(),
    // Vec<Attachment> with #[serde(default)] only: an array, of Link / Image / Document.
    attachment: z.array(z.union([lemmyLink, lemmyImage])).optional(),
    audience: url.optional(),
  })
  .loose()
  .refine((o) => !("inReplyTo" in o), "a Page with inReplyTo is a comment");

/** note.rs Note: a comment. */
export const lemmyNote = z
  .object({
    type: z.literal("Note"),
    id: url,
    attributedTo: url,
    to: lemmyTo,
    cc: lemmyTo.optional(),
    content: z.string(),
    inReplyTo: url,
    // Vec<MentionOrValue> with #[serde(default)] only: must be an array.
    tag: z.array(z.unknown()).optional(),
    audience: url.optional(),
  })
  .loose();

export const lemmyPerson = z
  .object({
    type: z.enum(["Person", "Service", "Organization", "Application"]),
    id: url,
    preferredUsername: z.string(),
    inbox: url,
    publicKey: z.object({ id: z.string(), owner: url, publicKeyPem: z.string() }).loose(),
    endpoints: z.object({ sharedInbox: url.optional() }).loose().optional(),
  })
  .loose();

const lemmyFollow = z
  .object({ type: z.literal("Follow"), id: url, actor: url, object: url })
  .loose();

export const lemmy = {
  CreateOrUpdate: z
    .object({
      type: z.enum(["Create", "Update"]),
      id: url,
      actor: url,
      to: lemmyTo,
      cc: lemmyTo.optional(),
      object: z.union([lemmyNote, lemmyPage]),
      tag: z.array(z.unknown()).optional(),
      audience: url.optional(),
    })
    .loose(),
  // announce.rs: to and cc are required; the object is an activity, by id or embedded.
  Announce: z
    .object({
      type: z.literal("Announce"),
      id: url,
      actor: url,
      to: lemmyTo,
      cc: lemmyTo,
      object: z.union([url, z.object({ id: url, actor: url }).loose()]),
    })
    .loose(),
  Vote: z.object({ type: z.enum(["Like", "Dislike"]), id: url, actor: url, object: url }).loose(),
  Delete: z
    .object({
      type: z.literal("Delete"),
      id: url,
      actor: url,
      to: lemmyTo,
      object: z.union([url, z.object({ id: url }).loose()]),
    })
    .loose(),
  Follow: lemmyFollow,
  // accept.rs: the Follow is embedded, never referenced by id.
  Accept: z.object({ type: z.literal("Accept"), id: url, actor: url, object: lemmyFollow }).loose(),
  actor: lemmyPerson,
};

// ---------------------------------------------------------------------------------------------
// Misskey 2024+: packages/backend/src/core/activitypub/type.ts (validPost, isActor),
// models/ApNoteService.ts (validateNote, createNote), models/ApPersonService.ts (validateActor).

export const MISSKEY_POST_TYPES = [
  "Note",
  "Question",
  "Article",
  "Audio",
  "Document",
  "Image",
  "Page",
  "Video",
  "Event",
] as const;

export const misskeyPost = typed
  .extend({
    id: url,
    attributedTo: z.union([url, z.object({ id: url }).loose(), z.array(z.unknown()).min(1)]),
    content: z.string().nullish(),
    _misskey_content: z.string().optional(),
    tag: oneOrMany(typed).optional(),
  })
  .refine(isOneOf(MISSKEY_POST_TYPES), "invalid object type")
  .refine((o) => hostOf(o.id) === hostOf(o.attributedTo), "attributedTo has different host");

export const misskeyActor = typed
  .extend({
    id: url,
    inbox: url,
    preferredUsername: z.string().regex(/^\w([\w.-]*\w)?$/u),
  })
  .refine(isOneOf(["Person", "Service", "Group", "Organization", "Application"]), "not an actor");

export const misskey = {
  Create: typed.extend({ id: url, actor: url, object: z.union([url, misskeyPost]) }),
  Update: typed.extend({ id: url, actor: url, object: z.union([misskeyActor, misskeyPost]) }),
  Delete: typed.extend({ actor: url, object: idOrObject }),
  Like: typed.extend({ actor: url, object: idOrObject }),
  Follow: typed.extend({ actor: url, object: idOrObject }),
  Accept: typed.extend({ actor: url, object: idOrObject }),
  Announce: typed.extend({ id: url, actor: url, object: z.union([url, misskeyPost]) }),
  actor: misskeyActor,
};

// ---------------------------------------------------------------------------------------------
// What an accepted post then looks like to people there.

/** Mastodon and Misskey show `summary` as a content warning, hiding the body behind it. */
export function showsBodyWithoutWarning(post: { summary?: unknown }): boolean {
  return post.summary === undefined || post.summary === null || post.summary === "";
}

/** Mastodon shows the content of Note/Question only; other types become "name + link". */
export function mastodonShowsContent(post: unknown): boolean {
  return isOneOf(MASTODON_SUPPORTED)(post);
}

/** Public on Mastodon: the Public collection in `to` (in any spelling compaction produces). */
export function isPublic(object: { to?: unknown }): boolean {
  return list(object.to).some((t) => PUBLIC.includes(String(t)));
}

/** The issues of `value` against `schema`, as short lines (empty: accepted). */
export function problems(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
}
