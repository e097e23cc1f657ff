import type { InboxContext } from "@fedify/fedify";
import { Article, type Create, Note, Page } from "@fedify/vocab";
import type { SubmoltRow } from "../../db/schema.ts";
import { findCommentByApId } from "../../repos/comments.ts";
import { findPostByApId } from "../../repos/posts.ts";
import { findSubmoltByApId } from "../../repos/submolts.ts";
import {
  type Intake,
  receiveRemoteComment,
  receiveRemotePost,
} from "../../services/remote-content.ts";
import { contextLoaders, findOrStoreAgent, resolveGroup } from "../directory.ts";
import { fetchRemoteObject } from "../lookup.ts";
import { fromNote, fromNoteHtml, fromPage } from "../mappers/from-vocab.ts";
import { unlessGone, watchLoader } from "../reach.ts";
import { createGuardedLoader } from "../remote-fetch.ts";
import { APPLIED, type InboxDeps, ignored, type Verdict } from "./deps.ts";
import { recordMentions } from "./mentions.ts";
import { storeTimelinePost } from "./timeline.ts";

/**
 * Create of a post (Page) or comment (Note) by a remote agent, delivered because a local agent
 * follows it or because it was posted into a submolt. Verified: the activity, the object and the
 * author all belong to the signing actor's origin, and the author is the actor.
 */
export function handleCreate(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, create: Create): Promise<Verdict> => {
    const { id, actorId, objectId } = create;
    if (id === null || actorId === null || objectId === null) return ignored("missing ids");
    if (id.origin !== actorId.origin || objectId.origin !== actorId.origin)
      return ignored("activity or object not on the actor's origin");
    const object = await unlessGone(create.getObject());
    if (object instanceof Note || object instanceof Article) {
      const verdict =
        object instanceof Note
          ? await storeNote(deps, object, actorId, id)
          : await storeTimelinePost(deps, object, actorId, id);
      return withMentions(verdict, await recordMentions(deps, object, actorId));
    }
    if (!(object instanceof Page))
      return ignored(`a Create of ${object?.constructor.name ?? "nothing"} is not handled`);
    return storePage(deps, object, actorId, { activityId: id });
  };
}

/**
 * A post (Page) by `actorId`, into the submolt it names (`via.group` when a relay already says
 * which), delivered by `via.activityId` (the Create, when it came to us directly). The Page must
 * be on its author's origin and attributed to it.
 */
export async function storePage(
  deps: InboxDeps,
  page: Page,
  actorId: URL,
  via: { readonly group?: SubmoltRow; readonly activityId: URL | null },
): Promise<Verdict> {
  const group = via.group;
  const pageId = page.id;
  if (pageId === null || pageId.origin !== actorId.origin)
    return ignored("the post is not on its author's origin");
  if (page.attributionId?.href !== actorId.href)
    return ignored("the post is attributed to someone else");
  if (group !== undefined && page.audienceId !== null && page.audienceId.href !== group.ap_id)
    return ignored("the post belongs to another submolt");
  const submolt = group ?? (await submoltOf(deps, page));
  if (submolt === undefined) return storeTimelinePost(deps, page, actorId, via.activityId);
  const author = await findOrStoreAgent(deps.directory, actorId, () => page.getAttribution());
  if (author === undefined) return ignored("its author could not be resolved");
  const fields = await fromPage(page);
  const stored = await receiveRemotePost(deps.services, {
    ...fields,
    apId: pageId.href,
    activityApId: via.activityId?.href ?? null,
    author,
    submolt,
    publishedAt: fields.publishedAt ?? deps.services.clock.now(),
  });
  return verdictOf(stored, "the post is known already");
}

/** The submolt named by the post's audience (or its first group addressee), stored if remote. */
async function submoltOf(deps: InboxDeps, page: Page): Promise<SubmoltRow | undefined> {
  const candidates = [page.audienceId, ...page.toIds, ...page.ccIds].filter(
    (u): u is URL => u !== null,
  );
  for (const candidate of candidates) {
    const known = await findSubmoltByApId(deps.services.db, candidate.href);
    if (known !== undefined) return known;
  }
  const audience = page.audienceId;
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
  const author = object instanceof Note || object instanceof Page ? object.attributionId : null;
  if (object instanceof Note && author !== null) {
    await storeNote(deps, object, author, null, depth);
  } else if (object instanceof Page && author !== null && object.audienceId !== null) {
    const group = await findSubmoltByApId(db, object.audienceId.href);
    if (group !== undefined) await storePage(deps, object, author, { group, activityId: null });
  }
  return known();
}
