import { isActor, Note, Page } from "@fedify/vocab";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import type { SubmoltRow } from "../../db/schema.ts";
import { htmlToText } from "../../lib/text.ts";
import { findAgentByApId } from "../../repos/agents.ts";
import { findCommentByApId } from "../../repos/comments.ts";
import { findPostByApId } from "../../repos/posts.ts";
import { findSubmoltByApId } from "../../repos/submolts.ts";
import { receiveRemoteComment, receiveRemotePost } from "../../services/remote-content.ts";
import { storeActor } from "../directory.ts";
import { fromPage } from "../mappers/from-vocab.ts";
import type { InboxDeps } from "./deps.ts";
import { unlessGone, watchLoader } from "./reach.ts";

// Storing remote posts and comments, and fetching the ones an activity depends on when they
// have not arrived yet (a reply or a vote that overtook the post it belongs to).

/** How far up a thread of unknown parents we fetch (comments nest 10 deep). */
const MAX_THREAD_DEPTH = 11;

/**
 * Makes sure the post or comment `apId` is known here: if not, it is fetched from its own
 * origin and stored as if its Create had arrived, provided it belongs to a submolt held here.
 * True when it is known afterwards.
 */
export async function ensureKnownContent(deps: InboxDeps, apId: URL, depth = 0): Promise<boolean> {
  const { db } = deps.services;
  const known = async () =>
    (await findPostByApId(db, apId.href)) !== undefined ||
    (await findCommentByApId(db, apId.href)) !== undefined;
  if (await known()) return true;
  if (depth > MAX_THREAD_DEPTH) return false;
  const watched = watchLoader(
    getDocumentLoader({ allowPrivateAddress: deps.directory.allowPrivateAddress }),
  );
  const context = deps.directory.federation.createContext(deps.directory.origin, undefined);
  const object = await context
    .lookupObject(apId.href, { documentLoader: watched.loader })
    .catch(() => null);
  watched.assertReached(apId.href);
  if (object instanceof Note && object.attributionId !== null) {
    return storeNote(deps, object, object.attributionId, depth);
  }
  if (object instanceof Page && object.audienceId !== null) {
    const group = await findSubmoltByApId(db, object.audienceId.href);
    if (group !== undefined) await storeRelayedPage(deps, group, object);
  }
  return known();
}

/**
 * A comment (Note replying to a post or comment) by the actor who sent it. A parent not known
 * here yet (activities arrive out of order) is fetched first.
 */
export async function storeNote(
  deps: InboxDeps,
  note: Note,
  actorId: URL,
  depth = 0,
): Promise<boolean> {
  const id = note.id;
  const inReplyTo = note.replyTargetId;
  if (id === null || inReplyTo === null || id.origin !== actorId.origin) return false;
  if (note.attributionId?.href !== actorId.href) return false;
  if (!(await ensureKnownContent(deps, inReplyTo, depth + 1))) return false;
  let author = await findAgentByApId(deps.services.db, actorId.href);
  if (author === undefined) {
    const actor = await unlessGone(note.getAttribution());
    author = isActor(actor) ? await storeActor(deps.directory, actor) : undefined;
  }
  if (author === undefined) return false;
  const source = note.source?.content?.toString();
  const content = (source ?? htmlToText(note.content?.toString() ?? "")).slice(0, 10_000);
  if (content === "") return false;
  return receiveRemoteComment(deps.services, {
    apId: id.href,
    author,
    inReplyTo: inReplyTo.href,
    content,
    publishedAt:
      note.published === null ? deps.services.clock.now() : new Date(note.published.toString()),
  });
}

/** A post relayed by (or fetched for) a submolt held here, from its own origin. */
export async function storeRelayedPage(
  deps: InboxDeps,
  group: SubmoltRow,
  page: Page,
): Promise<void> {
  const pageId = page.id;
  const authorId = page.attributionId;
  if (pageId === null || authorId === null || authorId.origin !== pageId.origin) return;
  if (page.audienceId !== null && page.audienceId.href !== group.ap_id) return;
  let author = await findAgentByApId(deps.services.db, authorId.href);
  if (author === undefined) {
    const actor = await unlessGone(page.getAttribution());
    author = isActor(actor) ? await storeActor(deps.directory, actor) : undefined;
  }
  if (author === undefined) return;
  const fields = await fromPage(page);
  await receiveRemotePost(deps.services, {
    ...fields,
    apId: pageId.href,
    author,
    submolt: group,
    publishedAt: fields.publishedAt ?? deps.services.clock.now(),
  });
}
