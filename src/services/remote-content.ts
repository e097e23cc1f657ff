import type { AgentRow, SubmoltRow } from "../db/schema.ts";
import { uuidv7 } from "../domain/ids.ts";
import { hotRank } from "../domain/ranking.ts";
import { bumpAgentCounter, findAgentById } from "../repos/agents.ts";
import {
  bumpReplyCount,
  findComment,
  findCommentByApId,
  insertCommentIfNew,
  markCommentDeleted,
  updateCommentContent,
} from "../repos/comments.ts";
import { inTransaction } from "../repos/database.ts";
import { appendOutboxEvent } from "../repos/outbox.ts";
import {
  bumpPostCommentCount,
  findPostByApId,
  findPostById,
  findVoteTarget,
  insertPostIfNew,
  markPostDeleted,
  updatePostContent,
} from "../repos/posts.ts";
import { bumpSubmoltPostCount, findSubmoltById } from "../repos/submolts.ts";
import { findVote, findVoteByApId } from "../repos/votes.ts";
import { type AgentSignature, UNSIGNED } from "./content-signing.ts";
import type { ServiceContext } from "./context.ts";
import { notifyReply } from "./notifications.ts";
import { mayStoreRemoteContent } from "./rate-limits.ts";
import { relayNewContent } from "./relay.ts";
import { loadTarget, relayVote, setVote } from "./voting.ts";

// Content that arrives from other instances. Inbox handlers verify origin and authorship first;
// these store, idempotently on the ActivityPub id (deliveries come at least once).

export interface RemotePost {
  readonly apId: string;
  /** The activity that delivered it (a Create), which a local submolt relays. */
  readonly activityApId: string | null;
  readonly author: AgentRow;
  /** Null for a person's own post (a status outside any submolt). */
  readonly submolt: SubmoltRow | null;
  readonly title: string;
  readonly content: string | null;
  /** The content as sanitized HTML, for pages (absent or null: pages show the text). */
  readonly contentHtml?: string | null;
  readonly url: string | null;
  readonly publishedAt: Date;
  /** The author's own proof, when it checked (docs/decisions/0010). */
  readonly signature?: AgentSignature;
}

/**
 * What became of remote content: stored, already known (deliveries come at least once; for a
 * comment also a reply to something unknown here), or dropped because its author is over its
 * hourly allowance (a flood; the sender is not asked to retry).
 */
export type Intake = "stored" | "known" | "over_limit";

/** Stores a remote post, new and within its author's allowance. */
export async function receiveRemotePost(ctx: ServiceContext, post: RemotePost): Promise<Intake> {
  if ((await findPostByApId(ctx.db, post.apId)) !== undefined) return "known";
  if (!(await mayStoreRemoteContent(ctx, post.author.id, "post"))) return "over_limit";
  const now = ctx.clock.now();
  // A post dated in the future would sit on top of the hot feed: clamp to now.
  const created = post.publishedAt.getTime() > now.getTime() ? now : post.publishedAt;
  const id = uuidv7();
  const inserted = await inTransaction(ctx.db, async (trx) => {
    const inserted = await insertPostIfNew(trx, {
      id,
      ap_id: post.apId,
      submolt_id: post.submolt?.id ?? null,
      author_id: post.author.id,
      is_local: 0,
      type: post.url !== null && (post.content ?? "") === "" ? "link" : "text",
      title: post.title,
      content: post.content,
      content_html: post.contentHtml ?? null,
      url: post.url,
      ...(post.signature ?? UNSIGNED),
      hot_rank: hotRank(0, created),
      created_at: created.toISOString(),
      updated_at: now.toISOString(),
    });
    if (inserted) {
      await bumpSubmoltPostCount(trx, post.submolt?.id ?? null, 1);
      await bumpAgentCounter(trx, post.author.id, "posts_count", 1);
      // A member of another instance posted into one of our submolts: relay it to its followers.
      await relayNewContent(trx, post.submolt, post.apId, post.activityApId, now.toISOString());
    }
    return inserted;
  });
  if (inserted) ctx.newContent.emit({ kind: "post", id });
  return inserted ? "stored" : "known";
}

export interface RemoteComment {
  readonly apId: string;
  /** The activity that delivered it (a Create), which a local submolt relays. */
  readonly activityApId: string | null;
  readonly author: AgentRow;
  /** The post or comment replied to, by ActivityPub id. */
  readonly inReplyTo: string;
  readonly content: string;
  /** The content as sanitized HTML, for pages (absent or null: pages show the text). */
  readonly contentHtml?: string | null;
  readonly publishedAt: Date;
  /** The author's own proof, when it checked (docs/decisions/0010). */
  readonly signature?: AgentSignature;
}

/**
 * Stores a remote comment under the post or comment it answers (which must be known here), new
 * and within its author's allowance.
 */
export async function receiveRemoteComment(
  ctx: ServiceContext,
  comment: RemoteComment,
): Promise<Intake> {
  const parentComment = await findCommentByApId(ctx.db, comment.inReplyTo);
  const post =
    parentComment === undefined
      ? await findPostByApId(ctx.db, comment.inReplyTo)
      : await findPostById(ctx.db, parentComment.post_id);
  if (post === undefined || post.deleted_at !== null) return "known";
  if ((await findCommentByApId(ctx.db, comment.apId)) !== undefined) return "known";
  if (!(await mayStoreRemoteContent(ctx, comment.author.id, "comment"))) return "over_limit";
  const now = ctx.clock.now();
  const created = comment.publishedAt.getTime() > now.getTime() ? now : comment.publishedAt;
  const id = uuidv7();
  const stored = await inTransaction(ctx.db, async (trx) => {
    const inserted = await insertCommentIfNew(trx, {
      id,
      ap_id: comment.apId,
      post_id: post.id,
      parent_id: parentComment?.id ?? null,
      author_id: comment.author.id,
      is_local: 0,
      content: comment.content,
      content_html: comment.contentHtml ?? null,
      depth: parentComment === undefined ? 0 : Math.min(parentComment.depth + 1, 10),
      ...(comment.signature ?? UNSIGNED),
      created_at: created.toISOString(),
      updated_at: now.toISOString(),
    });
    if (!inserted) return false;
    await bumpPostCommentCount(trx, post.id, 1);
    if (parentComment !== undefined) await bumpReplyCount(trx, parentComment.id, 1);
    await bumpAgentCounter(trx, comment.author.id, "comments_count", 1);
    await notifyReply(
      { ...ctx, db: trx },
      { id, post_id: post.id, author_id: comment.author.id, content: comment.content, is_local: 0 },
      post.author_id,
      parentComment?.author_id,
    );
    const submolt = await findSubmoltById(trx, post.submolt_id);
    await relayNewContent(trx, submolt, comment.apId, comment.activityApId, now.toISOString());
    return true;
  });
  if (stored) ctx.newContent.emit({ kind: "comment", id });
  return stored ? "stored" : "known";
}

/**
 * A remote agent's Like (1) or Dislike (-1), or its Undo (0), on known content. Set semantics:
 * the same vote twice changes nothing. Votes on local submolts are relayed to their followers.
 */
export async function applyRemoteVote(
  ctx: ServiceContext,
  vote: { apId: string; voter: AgentRow; targetApId: string; value: -1 | 0 | 1 },
): Promise<boolean> {
  const target = await findVoteTarget(ctx.db, vote.targetApId);
  if (target === undefined) return false;
  return inTransaction(ctx.db, async (trx) => {
    const scoped = { ...ctx, db: trx };
    const content = await loadTarget(trx, target);
    if (content.authorId === vote.voter.id) return false;
    const existing = await findVote(trx, vote.voter.id, target);
    // An Undo only takes back the vote it names.
    if (vote.value === 0 && existing?.ap_id !== vote.apId) return false;
    if (vote.value !== 0 && existing?.value === vote.value && existing.ap_id === vote.apId)
      return false;
    const change = await setVote(
      scoped,
      vote.voter,
      target,
      content,
      existing,
      vote.value,
      vote.value === 0 ? undefined : vote.apId,
    );
    await relayVote(scoped, content.submoltId, change);
    return true;
  });
}

/**
 * A remote vote whose own server no longer has it (it answered 404 or 410 for the vote's id when
 * a submolt relayed it): taken back, as its Undo would. False when no such vote is held here.
 */
export async function retractRemoteVote(ctx: ServiceContext, apId: string): Promise<boolean> {
  const vote = await findVoteByApId(ctx.db, apId);
  const voter = vote === undefined ? undefined : await findAgentById(ctx.db, vote.agent_id);
  if (vote === undefined || voter === undefined || voter.is_local === 1) return false;
  const targetApId =
    vote.post_id !== null
      ? (await findPostById(ctx.db, vote.post_id))?.ap_id
      : vote.comment_id === null
        ? undefined
        : (await findComment(ctx.db, vote.comment_id))?.ap_id;
  if (targetApId === undefined) return false;
  return applyRemoteVote(ctx, { apId, voter, targetApId, value: 0 });
}

/** The author's edit activity that announced an edit, for a local submolt to relay. */
export interface EditActivity {
  readonly apId: string;
  /** The activity as received, when its id does not dereference (it is relayed embedded). */
  readonly json: Readonly<Record<string, unknown>> | null;
}

/**
 * An edit of remote content (its author's Update, or a relay that made us fetch it again):
 * refreshes what we hold (text and HTML together: no HTML left from before), only when
 * `authorApId` (the verified sender or author) is the author we hold it from; a local submolt
 * relays the author's edit activity (`via`) in turn.
 */
export async function refreshRemoteContent(
  ctx: ServiceContext,
  edit: {
    readonly apId: string;
    readonly authorApId: string;
    readonly contentHtml?: string | null;
    /** The author's proof over the edited text, when it checked; the mark goes otherwise. */
    readonly signature?: AgentSignature;
  } & (
    | { kind: "post"; title: string; content: string | null; url: string | null }
    | { kind: "comment"; content: string }
  ),
  via: EditActivity | null = null,
): Promise<boolean> {
  const now = ctx.clock.now().toISOString();
  const found =
    edit.kind === "post"
      ? await findPostByApId(ctx.db, edit.apId)
      : await findCommentByApId(ctx.db, edit.apId);
  if (found === undefined || found.is_local === 1 || found.deleted_at !== null) return false;
  if ((await findAgentById(ctx.db, found.author_id))?.ap_id !== edit.authorApId) return false;
  const contentHtml = edit.contentHtml ?? null;
  const signature = edit.signature ?? UNSIGNED;
  const unchanged =
    found.content_html === contentHtml &&
    found.agent_proof === signature.agent_proof &&
    (edit.kind === "post"
      ? "title" in found &&
        found.title === edit.title &&
        found.content === edit.content &&
        found.url === edit.url
      : found.content === edit.content);
  if (unchanged) return false;
  const submoltId =
    "submolt_id" in found
      ? found.submolt_id
      : (await findPostById(ctx.db, found.post_id))?.submolt_id;
  await inTransaction(ctx.db, async (trx) => {
    if (edit.kind === "post") {
      await updatePostContent(trx, found.id, {
        title: edit.title,
        content: edit.content,
        content_html: contentHtml,
        url: edit.url,
        ...signature,
        updated_at: now,
      });
    } else {
      await updateCommentContent(trx, found.id, edit.content, now, contentHtml, signature);
    }
    const submolt = submoltId === undefined ? undefined : await findSubmoltById(trx, submoltId);
    // NOTE: an edit seen only through a fetch (no activity of the author's) is not relayed:
    // announcing the object itself would show as a boost on microblog servers.
    if (submolt?.is_local === 1 && via !== null) {
      await appendOutboxEvent(
        trx,
        {
          type: "submolt.edited",
          submoltId: submolt.id,
          objectApId: edit.apId,
          editApId: via.apId,
          editActivity: via.json,
        },
        now,
      );
    }
  });
  return true;
}

/**
 * A Delete from another instance. Only the author may delete its content, or the remote group
 * that holds it (it moderates); a local submolt relays an author's deletion to its followers.
 */
export async function deleteRemoteContent(
  ctx: ServiceContext,
  input: { apId: string; actorApId: string },
): Promise<boolean> {
  const post = await findPostByApId(ctx.db, input.apId);
  const comment = post === undefined ? await findCommentByApId(ctx.db, input.apId) : undefined;
  const target = post ?? comment;
  if (target === undefined || target.deleted_at !== null || target.is_local === 1) return false;
  const submoltId =
    post?.submolt_id ??
    (comment === undefined ? undefined : (await findPostById(ctx.db, comment.post_id))?.submolt_id);
  const submolt = submoltId === undefined ? undefined : await findSubmoltById(ctx.db, submoltId);
  const author = await findAgentById(ctx.db, target.author_id);
  const byAuthor = author?.ap_id === input.actorApId;
  const byGroup =
    submolt !== undefined && submolt.is_local === 0 && submolt.ap_id === input.actorApId;
  if (!byAuthor && !byGroup) return false;
  const now = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (trx) => {
    if (post !== undefined) {
      await markPostDeleted(trx, post.id, now);
      await bumpSubmoltPostCount(trx, post.submolt_id, -1);
      await bumpAgentCounter(trx, post.author_id, "posts_count", -1);
    } else if (comment !== undefined) {
      await markCommentDeleted(trx, comment.id, now);
      await bumpPostCommentCount(trx, comment.post_id, -1);
      await bumpAgentCounter(trx, comment.author_id, "comments_count", -1);
    }
    if (submolt?.is_local === 1) {
      await appendOutboxEvent(
        trx,
        { type: "submolt.deleted", submoltId: submolt.id, objectApId: input.apId },
        now,
      );
    }
  });
  return true;
}
