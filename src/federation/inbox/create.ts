import type { InboxContext } from "@fedify/fedify";
import { type Object as APObject, Article, type Create, Note, Page } from "@fedify/vocab";
import type { SubmoltRow } from "../../db/schema.ts";
import { findCommentByApId } from "../../repos/comments.ts";
import { findPostByApId } from "../../repos/posts.ts";
import { findSubmoltByApId } from "../../repos/submolts.ts";
import {
  type Intake,
  receiveRemoteComment,
  receiveRemotePost,
} from "../../services/remote-content.ts";
import { checkReceivedProof } from "../agent-proofs.ts";
import { contextLoaders, findOrStoreAgent, resolveGroup } from "../directory.ts";
import { fetchRemoteObject } from "../lookup.ts";
import { fromNote, fromNoteHtml, fromPost } from "../mappers/from-vocab.ts";
import { unlessGone, watchLoader } from "../reach.ts";
import { createGuardedLoader } from "../remote-fetch.ts";
import { APPLIED, type InboxDeps, ignored, type Verdict } from "./deps.ts";
import { directRecipients, receiveDirectMessage } from "./direct.ts";
import { recordMentions } from "./mentions.ts";
import { storeTimelinePost } from "./timeline.ts";

/**
 * Create of a post or comment by a remote agent or person, delivered because a local agent
 * follows it or because it was posted into a submolt, or of a direct message to local agents. Verified: the activity, the object and the
 * author all belong to the signing actor's origin, and the author is the actor.
 */
export function handleCreate(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, create: Create): Promise<Verdict> => {
    const { id, actorId, objectId } = create;
    if (id === null || actorId === null || objectId === null) return ignored("missing ids");
    if (id.origin !== actorId.origin || objectId.origin !== actorId.origin)
      return ignored("activity or object not on the actor's origin");
    const object = await unlessGone(create.getObject());
    // A direct message goes to its recipients' direct messages and nowhere public.
    if (object instanceof Note || object instanceof Article) {
      const recipients = await directRecipients(deps, object);
      if (recipients !== undefined) return receiveDirectMessage(deps, object, actorId, recipients);
    }
    const post = asPost(object);
    if (post !== undefined) {
      const verdict = await storePost(deps, post, actorId, { activityId: id });
      return post instanceof Page
        ? verdict
        : withMentions(verdict, await recordMentions(deps, post, actorId));
    }
    if (object instanceof Note)
      return withMentions(
        await storeNote(deps, object, actorId, id),
        await recordMentions(deps, object, actorId),
      );
    return ignored(`a Create of ${object?.constructor.name ?? "nothing"} is not handled`);
  };
}

/**
 * The object, if it is a post: a Page (Lemmy, PieFed, Mbin threads, and ours before 0008), or a
 * Note or Article that replies to nothing (microblogs, NodeBB, Mbin, Hollo, and ours).
 */
export function asPost(object: APObject | null | undefined): Page | Note | Article | undefined {
  if (object instanceof Page) return object;
  return (object instanceof Note || object instanceof Article) && object.replyTargetId === null
    ? object
    : undefined;
}

/**
 * A post by `actorId`, into the submolt it names (`via.group` when a relay already says which),
 * delivered by `via.activityId` (the Create, when it came to us directly). The post must be on
 * its author's origin and attributed to it.
 */
export async function storePost(
  deps: InboxDeps,
  post: Page | Note | Article,
  actorId: URL,
  via: { readonly group?: SubmoltRow; readonly activityId: URL | null },
): Promise<Verdict> {
  const group = via.group;
  const postId = post.id;
  if (postId === null || postId.origin !== actorId.origin)
    return ignored("the post is not on its author's origin");
  if (post.attributionId?.href !== actorId.href)
    return ignored("the post is attributed to someone else");
  if (group !== undefined && post.audienceId !== null && post.audienceId.href !== group.ap_id)
    return ignored("the post belongs to another submolt");
  const submolt = group ?? (await submoltOf(deps, post));
  // A post addressed to no submolt: an ordinary microblog post, kept if its author is followed.
  if (submolt === undefined) return storeTimelinePost(deps, post, actorId, via.activityId);
  const author = await findOrStoreAgent(deps.directory, actorId, () => post.getAttribution());
  if (author === undefined) return ignored("its author could not be resolved");
  const fields = await fromPost(post);
  const stored = await receiveRemotePost(deps.services, {
    ...fields,
    apId: postId.href,
    activityApId: via.activityId?.href ?? null,
    author,
    submolt,
    publishedAt: fields.publishedAt ?? deps.services.clock.now(),
    signature: await checkReceivedProof(deps.directory, post),
  });
  return verdictOf(stored, "the post is known already");
}

/** The submolt named by the post's audience (or its first group addressee), stored if remote. */
async function submoltOf(
  deps: InboxDeps,
  post: Page | Note | Article,
): Promise<SubmoltRow | undefined> {
  const candidates = [post.audienceId, ...post.toIds, ...post.ccIds].filter(
    (u): u is URL => u !== null,
  );
  for (const candidate of candidates) {
    const known = await findSubmoltByApId(deps.services.db, candidate.href);
    if (known !== undefined) return known;
  }
  const audience = post.audienceId;
  return audience === null ? undefined : resolveGroup(deps.directory, audience);
}

/**
 * A comment (Note replying to a post or comment) by `actorId`, delivered by `activityId`. A
 * parent not known here yet (activities arrive out of order) is fetched first.
 */
export async function storeNote(
  deps: InboxDeps,
  note: Note,
  actorId: URL,
  activityId: URL | null,
  depth = 0,
): Promise<Verdict> {
  const id = note.id;
  const inReplyTo = note.replyTargetId;
  if (inReplyTo === null) return storeTimelinePost(deps, note, actorId, activityId);
  if (id === null) return ignored("a Note without id");
  if (id.origin !== actorId.origin) return ignored("the comment is not on its author's origin");
  if (note.attributionId?.href !== actorId.href)
    return ignored("the comment is attributed to someone else");
  const author = await findOrStoreAgent(deps.directory, actorId, () => note.getAttribution());
  if (author === undefined) return ignored("its author could not be resolved");
  if (!(await ensureKnownContent(deps, inReplyTo, depth + 1)))
    return ignored("it replies to something that could not be found");
  const content = fromNote(note);
  if (content === "") return ignored("an empty comment");
  const stored = await receiveRemoteComment(deps.services, {
    apId: id.href,
    activityApId: activityId?.href ?? null,
    author,
    inReplyTo: inReplyTo.href,
    content,
    contentHtml: fromNoteHtml(note),
    publishedAt:
      note.published === null ? deps.services.clock.now() : new Date(note.published.toString()),
    signature: await checkReceivedProof(deps.directory, note),
  });
  return verdictOf(stored, "known already, or a reply to something unknown here");
}

/** A mention of a local agent is kept even when the object itself is not (a direct message). */
function withMentions(verdict: Verdict, mentions: number): Verdict {
  if ("applied" in verdict || mentions === 0) return verdict;
  return ignored(`${verdict.ignored} (kept as a mention of ${mentions} local agent(s))`);
}

function verdictOf(intake: Intake, known: string): Verdict {
  if (intake === "stored") return APPLIED;
  return ignored(intake === "known" ? known : "its author is over its hourly allowance here");
}

/** How far up a thread of unknown parents we fetch (comments nest 10 deep). */
const MAX_THREAD_DEPTH = 11;

/**
 * Makes sure the post or comment `apId` is known here before something that depends on it (a
 * reply, a vote) is applied: one that has not arrived yet is fetched from its own origin and
 * stored as if its Create had come, if it belongs to a submolt held here. True when known after.
 */
export async function ensureKnownContent(deps: InboxDeps, apId: URL, depth = 0): Promise<boolean> {
  const { db } = deps.services;
  const known = async () =>
    (await findPostByApId(db, apId.href)) !== undefined ||
    (await findCommentByApId(db, apId.href)) !== undefined;
  if (await known()) return true;
  if (depth > MAX_THREAD_DEPTH) return false;
  const watched = watchLoader(createGuardedLoader(deps.directory.fetchGuard));
  const object = await fetchRemoteObject(apId, {
    ...contextLoaders(deps.directory),
    documentLoader: watched.loader,
  }).catch(() => null);
  watched.assertReached(apId.href);
  const post = asPost(object);
  const author = post?.attributionId ?? (object instanceof Note ? object.attributionId : null);
  if (post !== undefined && author !== null && post.audienceId !== null) {
    const group = await findSubmoltByApId(db, post.audienceId.href);
    if (group !== undefined) await storePost(deps, post, author, { group, activityId: null });
  } else if (object instanceof Note && author !== null) {
    await storeNote(deps, object, author, null, depth);
  }
  return known();
}
