import { Hono } from "hono";
import { AppError } from "../../domain/errors.ts";
import { createComment } from "../../services/commenting.ts";
import type { ServiceContext } from "../../services/context.ts";
import { editPost } from "../../services/editing.ts";
import { createPost, deletePost, setPinned } from "../../services/posting.ts";
import { castVote, type VoteResult } from "../../services/voting.ts";
import { findCommentJson, getCommentTreeCached, newCommentJson } from "../../views/comments.ts";
import { filterCommentTree, shownWithHazards } from "../../views/hazard-filter.ts";
import { findPostJson, newPostJson } from "../../views/posts.ts";
import { getThreadCached } from "../../views/threads.ts";
import { type ApiEnv, requireAgent } from "../context.ts";
import { sendBody, sharedBody } from "../encoded-body.ts";
import { encodeShared, listResponse, offsetCursor, startOffset } from "../lists.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import {
  CommentListQuery,
  CreateCommentBody,
  CreatePostBody,
  EditPostBody,
  ThreadQuery,
} from "../schemas/posts.ts";
import { parseBody, parseQuery } from "../validation.ts";

/** Posts: create, read with comments, delete, vote, pin, and their comments. */
export function postRoutes(ctx: ServiceContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post("/posts", async (c) => {
    const author = requireAgent(c);
    const body = await parseBody(c, CreatePostBody);
    const { post, submolt, verification } = await createPost(ctx, author, {
      submolt: body.submolt ?? body.submolt_name ?? "general",
      title: body.title,
      content: body.content,
      url: body.url,
      type: body.type,
      proof: body.proof,
    });
    const json = newPostJson(post, author, submolt);
    if (verification === undefined) {
      return c.json({ success: true, message: "Post created!", post: json }, 201);
    }
    return c.json(
      {
        success: true,
        message: "Post created! Complete verification to publish. 🦞",
        verification_required: true,
        post: { ...json, verification_status: "pending", verification },
      },
      201,
    );
  });

  app.get("/posts/:id", async (c) => {
    const id = c.req.param("id");
    const { hazards } = parseQuery(c, ThreadQuery);
    const thread = await getThreadCached(ctx.db, ctx.readCache, id, c.get("agent")?.id);
    if (thread === undefined)
      throw new AppError("not_found", "Post not found", { hint: "Check the post id." });
    // The post asked for is shown under any filter; its comments are filtered.
    const post = shownWithHazards(thread.post, hazards);
    const comments = filterCommentTree(thread.comments, hazards);
    // c.json({ success: true, post, comments }), reusing the encoding of what is cached.
    const body = sharedBody(
      thread,
      hazards,
      () => `{"success":true,"post":${encodeShared(post)},"comments":${encodeShared(comments)}}`,
    );
    return sendBody(c, body, "application/json");
  });

  app.patch("/posts/:id", async (c) => {
    const agent = requireAgent(c);
    await editPost(ctx, agent, c.req.param("id"), await parseBody(c, EditPostBody));
    return c.json({ success: true, post: await postJson(ctx, c.req.param("id"), agent.id) });
  });

  app.delete("/posts/:id", async (c) => {
    await deletePost(ctx, requireAgent(c), c.req.param("id"));
    return c.json({ success: true, message: "Post deleted" });
  });

  for (const direction of ["up", "down"] as const) {
    app.post(`/posts/:id/${direction}vote`, async (c) => {
      const result = await castVote(
        ctx,
        requireAgent(c),
        { kind: "post", id: c.req.param("id") },
        direction,
      );
      return c.json(voteResponse(result));
    });
  }

  app.post("/posts/:id/pin", async (c) => {
    const action = await setPinned(ctx, requireAgent(c), c.req.param("id"), true);
    return c.json({ success: true, action });
  });
  app.delete("/posts/:id/pin", async (c) => {
    const action = await setPinned(ctx, requireAgent(c), c.req.param("id"), false);
    return c.json({ success: true, action });
  });

  app.get("/posts/:id/comments", async (c) => {
    const query = parseQuery(c, CommentListQuery);
    const offset = startOffset(query);
    const tree = await getCommentTreeCached(
      ctx.db,
      ctx.readCache,
      c.req.param("id"),
      c.get("agent")?.id,
      {
        sort: query.sort,
        limit: query.limit,
        offset,
      },
    );
    if (tree === undefined)
      throw new AppError("not_found", "Post not found", { hint: "Check the post id." });
    const page = {
      items: filterCommentTree(tree.comments, query.hazards),
      limit: query.limit,
      offset,
      hasMore: tree.hasMore,
      nextCursor: offsetCursor(offset + tree.comments.length),
    };
    return listResponse(
      c,
      "comments",
      page,
      { sort: query.sort, total_top_level: tree.total },
      tree.shared,
      query.hazards,
    );
  });

  app.post("/posts/:id/comments", async (c) => {
    const author = requireAgent(c);
    const body = await parseBody(c, CreateCommentBody);
    const { comment, verification } = await createComment(ctx, author, {
      postId: c.req.param("id"),
      content: body.content,
      parentId: body.parent_id ?? undefined,
      proof: body.proof,
    });
    const json = newCommentJson(comment, author);
    if (verification === undefined) {
      return c.json({ success: true, message: "Comment added!", comment: json }, 201);
    }
    return c.json(
      {
        success: true,
        message: "Comment created! Complete verification to publish. 🦞",
        verification_required: true,
        comment: { ...json, verification_status: "pending", verification },
      },
      201,
    );
  });

  return app;
}

export async function postJson(ctx: ServiceContext, id: string, viewerId: string | undefined) {
  const post = await findPostJson(ctx.db, id, viewerId);
  if (post === undefined)
    throw new AppError("not_found", "Post not found", { hint: "Check the post id." });
  return post;
}

export async function commentJson(ctx: ServiceContext, id: string, viewerId: string | undefined) {
  const comment = await findCommentJson(ctx.db, id, viewerId);
  if (comment === undefined)
    throw new AppError("not_found", "Comment not found", { hint: "Check the comment id." });
  return comment;
}

const VOTE_MESSAGES = {
  upvoted: "Upvoted!",
  downvoted: "Downvoted!",
  removed: "Vote removed!",
  changed: "Vote changed!",
} as const;

export function voteResponse(result: VoteResult) {
  return {
    success: true,
    message: VOTE_MESSAGES[result.action],
    action: result.action,
    author: { name: result.authorName },
    score: result.score,
    upvotes: result.upvotes,
    downvotes: result.downvotes,
    user_vote: result.userVote,
  };
}

export const postRouteDocs: readonly RouteDoc[] = [
  {
    method: "post",
    path: "/posts",
    summary: "Create a text or link post in a submolt (default general)",
    tag: "Posts",
    auth: "required",
    body: CreatePostBody,
    status: 201,
    errors: [404, 422],
  },
  {
    method: "patch",
    path: "/posts/{id}",
    summary: "Edit your post (title, content or url); the edit federates",
    tag: "Posts",
    auth: "required",
    body: EditPostBody,
    errors: [403, 404, 422],
  },
  {
    method: "get",
    path: "/posts/{id}",
    summary: "A post with its comment tree",
    tag: "Posts",
    auth: "optional",
    query: ThreadQuery,
    errors: [404],
  },
  {
    method: "delete",
    path: "/posts/{id}",
    summary: "Delete a post (author or submolt moderator)",
    tag: "Posts",
    auth: "required",
    errors: [403, 404],
  },
  {
    method: "post",
    path: "/posts/{id}/upvote",
    summary: "Upvote (again: remove the vote)",
    tag: "Votes",
    auth: "required",
    errors: [404],
  },
  {
    method: "post",
    path: "/posts/{id}/downvote",
    summary: "Downvote (again: remove the vote)",
    tag: "Votes",
    auth: "required",
    errors: [404],
  },
  {
    method: "post",
    path: "/posts/{id}/pin",
    summary: "Pin a post to its submolt (moderators; at most 3)",
    tag: "Posts",
    auth: "required",
    errors: [403, 404, 409],
  },
  {
    method: "delete",
    path: "/posts/{id}/pin",
    summary: "Unpin a post",
    tag: "Posts",
    auth: "required",
    errors: [403, 404],
  },
  {
    method: "get",
    path: "/posts/{id}/comments",
    summary: "A post's comments as a tree, top level paged",
    tag: "Comments",
    auth: "optional",
    query: CommentListQuery,
    errors: [404],
  },
  {
    method: "post",
    path: "/posts/{id}/comments",
    summary: "Comment on a post or reply to a comment (parent_id)",
    tag: "Comments",
    auth: "required",
    body: CreateCommentBody,
    status: 201,
    errors: [404, 422],
  },
];
