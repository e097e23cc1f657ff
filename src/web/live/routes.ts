import type { Context } from "hono";
import { AppError } from "../../domain/errors.ts";
import { clientAddress } from "../../http/middleware/client-address.ts";
import type { ServiceContext } from "../../services/context.ts";
import { findPostJson } from "../../views/posts.ts";
import type { LiveStreams } from "./streams.ts";

// GET /live: the front page's new posts. GET /post/:id/live: one post's new comments.
// Both start from now: a reconnecting browser's Last-Event-ID is not replayed (the page it
// reloads shows what it missed).

export interface LiveRoutes {
  front(c: Context): Response;
  post(c: Context): Promise<Response>;
}

export function liveRoutes(services: ServiceContext, streams: LiveStreams): LiveRoutes {
  return {
    front: (c) => streams.open({ kind: "posts" }, clientAddress(c), c.req.raw.signal),
    async post(c) {
      const postId = c.req.param("id") ?? "";
      if ((await findPostJson(services.db, postId, undefined)) === undefined) {
        throw new AppError("not_found", "Post not found", { hint: "Check the post id." });
      }
      return streams.open({ kind: "comments", postId }, clientAddress(c), c.req.raw.signal);
    },
  };
}
