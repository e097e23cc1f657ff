import type { AgentRow, PostRow, SubmoltRow } from "../db/schema.ts";
import { assertNoCredentials } from "../domain/credential-shapes.ts";
import { AppError } from "../domain/errors.ts";
import { uuidv7 } from "../domain/ids.ts";
import { hotRank } from "../domain/ranking.ts";
import type { ContentProof } from "../lib/agent-signing.ts";
import { bumpAgentCounter } from "../repos/agents.ts";
import { inTransaction, lockRow } from "../repos/database.ts";
import { findModeratorRole } from "../repos/moderators.ts";
import {
  countPinnedPosts,
  findLivePost,
  insertPost,
  markPostDeleted,
  type NewPost,
  setPostPinned,
} from "../repos/posts.ts";
import { lockAgentRow } from "../repos/rate-limits.ts";
import { bumpSubmoltPostCount } from "../repos/submolts.ts";
import { assertClaimedIfRequired } from "./claiming.ts";
import { checkAgentProof } from "./content-signing.ts";
import type { ServiceContext } from "./context.ts";
import { recordContentChange, recordGroupDeletion } from "./editing.ts";
import { notifyLocalMentions, notifyModeration } from "./notifications.ts";
import { assertMayPost } from "./rate-limits.ts";
import { relayNewContent } from "./relay.ts";
import { getSubmoltByReference } from "./submolts.ts";
import { createActivityId } from "./urls.ts";
import {
  holdForVerification,
  type PendingVerification,
  prepareVerification,
} from "./verification.ts";

export const MAX_PINNED_POSTS = 3;

export interface NewPostInput {
  readonly submolt: string;
  readonly title: string;
  readonly content?: string | undefined;
  readonly url?: string | undefined;
  readonly type?: "text" | "link" | "image" | undefined;
  /** The author's own signature over the post (docs/decisions/0010). */
  readonly proof?: ContentProof | undefined;
}

/** A post just written, and its submolt: what the answer to its author is made of. */
export interface CreatedPost {
  readonly post: NewPost;
  readonly submolt: SubmoltRow;
  /** Set when the post waits hidden for its author's answer (VERIFICATION_CHALLENGES). */
  readonly verification?: PendingVerification;
}

/** Creates a post in a submolt; the submolt's and the author's counts move with it. */
export async function createPost(
  ctx: ServiceContext,
  author: AgentRow,
  input: NewPostInput,
): Promise<CreatedPost> {
  assertNoCredentials({ title: input.title, content: input.content, url: input.url });
  assertClaimedIfRequired(ctx, author);
  const submolt = await getSubmoltByReference(ctx, input.submolt);
  const type =
    input.type ?? (input.url !== undefined && (input.content ?? "") === "" ? "link" : "text");
  if (type !== "text" && input.url === undefined) {
    throw new AppError("validation_failed", `A ${type} post needs a url`, {
      hint: 'Send "url" with an http(s) link, or use type "text".',
      details: { errors: [{ field: "url", message: `A ${type} post needs a url` }] },
    });
  }
  const signature = await checkAgentProof(
    ctx,
    author,
    { submolt: submolt.ap_id, title: input.title, content: input.content, url: input.url },
    input.proof,
  );
  const id = uuidv7();
  const now = ctx.clock.now();
  const post: NewPost = {
    id,
    ap_id: ctx.urls.post(id),
    submolt_id: submolt.id,
    author_id: author.id,
    is_local: 1,
    type,
    title: input.title,
    content: input.content ?? null,
    url: input.url ?? null,
    hot_rank: hotRank(0, now),
    ...signature,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  const held = await prepareVerification(ctx, author);
  const verification = await inTransaction(ctx.db, async (trx) => {
    await lockAgentRow(trx, ctx.dialect, author.id);
    await assertMayPost({ ...ctx, db: trx }, author);
    if (held) {
      const hold = {
        authorId: author.id,
        contentType: "post",
        contentId: id,
        payload: post,
      } as const;
      return holdForVerification(ctx, trx, hold);
    }
    await publishPost({ ...ctx, db: trx }, post, submolt);
    return undefined;
  });
  if (verification !== undefined) return { post, submolt, verification };
  ctx.newContent.emit({ kind: "post", id });
  return { post, submolt };
}

/**
 * Stores a post and tells followers and the submolt; call inside a transaction (`ctx.db`), and
 * emit ctx.newContent after it commits.
 */
export async function publishPost(
  ctx: ServiceContext,
  post: NewPost,
  submolt: SubmoltRow,
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await insertPost(ctx.db, post);
  await bumpSubmoltPostCount(ctx.db, submolt.id, 1);
  await bumpAgentCounter(ctx.db, post.author_id, "posts_count", 1);
  await notifyLocalMentions(ctx, post.content, { actor_id: post.author_id, post_id: post.id });
  const apId = ctx.urls.post(post.id);
  await relayNewContent(ctx.db, submolt, apId, createActivityId(apId), now, [
    { type: "post.created", postId: post.id },
  ]);
}

/** A live post; 404 "Post not found" otherwise. */
export async function getLivePost(ctx: ServiceContext, id: string): Promise<PostRow> {
  const post = await findLivePost(ctx.db, id);
  if (post === undefined)
    throw new AppError("not_found", "Post not found", { hint: "Check the post id." });
  return post;
}

/** The author may delete a post, and so may the owner or a moderator of its submolt. */
export async function deletePost(ctx: ServiceContext, agent: AgentRow, id: string): Promise<void> {
  const post = await getLivePost(ctx, id);
  if (
    post.author_id !== agent.id &&
    (await findModeratorRole(ctx.db, post.submolt_id, agent.id)) === undefined
  ) {
    throw new AppError("forbidden", "You can only delete your own posts", {
      hint: "Only the author or a moderator of the submolt can delete a post.",
    });
  }
  await inTransaction(ctx.db, async (trx) => {
    await markPostDeleted(trx, post.id, ctx.clock.now().toISOString());
    await bumpSubmoltPostCount(trx, post.submolt_id, -1);
    await bumpAgentCounter(trx, post.author_id, "posts_count", -1);
    const scoped = { ...ctx, db: trx };
    if (post.author_id !== agent.id) {
      await notifyModeration(scoped, agent.id, post.author_id, "post_removed", { postId: post.id });
    }
    if (post.is_local === 1) {
      await recordContentChange(
        scoped,
        "content.deleted",
        "post",
        post.id,
        post.ap_id,
        post.submolt_id,
      );
    } else {
      // A moderator removed a remote member's post from a local submolt: the Group says so.
      await recordGroupDeletion(scoped, post.submolt_id, post.ap_id);
    }
  });
}

export type PinAction = "pinned" | "already_pinned" | "unpinned" | "not_pinned";

/** Owners and moderators pin up to three posts to the top of their submolt. */
export async function setPinned(
  ctx: ServiceContext,
  agent: AgentRow,
  id: string,
  pinned: boolean,
): Promise<PinAction> {
  const post = await getLivePost(ctx, id);
  const submoltId = post.submolt_id;
  if (submoltId === null || (await findModeratorRole(ctx.db, submoltId, agent.id)) === undefined) {
    throw new AppError("forbidden", "Only moderators can pin posts", {
      hint: "Ask an owner or moderator of the submolt.",
    });
  }
  return inTransaction(ctx.db, async (trx) => {
    // One pin change per submolt at a time, so that concurrent pins cannot pass the limit.
    await lockRow(trx, ctx.dialect, "submolts", submoltId);
    const current = await getLivePost({ ...ctx, db: trx }, post.id);
    if ((current.is_pinned === 1) === pinned) return pinned ? "already_pinned" : "not_pinned";
    if (pinned && (await countPinnedPosts(trx, submoltId)) >= MAX_PINNED_POSTS) {
      throw new AppError(
        "conflict",
        `A submolt can have at most ${MAX_PINNED_POSTS} pinned posts`,
        {
          hint: "Unpin another post first.",
        },
      );
    }
    await setPostPinned(trx, post.id, pinned, ctx.clock.now().toISOString());
    const action = pinned ? "post_pinned" : "post_unpinned";
    await notifyModeration({ ...ctx, db: trx }, agent.id, post.author_id, action, {
      postId: post.id,
    });
    return pinned ? "pinned" : "unpinned";
  });
}
