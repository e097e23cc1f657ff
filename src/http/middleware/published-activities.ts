import type { Context, Next } from "hono";
import type { ServiceContext } from "../../services/context.ts";
import { findPublishedActivity } from "../../views/published-activities.ts";
import { wantsActivityPub } from "../accept.ts";

/**
 * Serves the activities this instance published (Announce, Update, Delete, Accept, Follow, Undo)
 * at their ids, to ActivityPub clients. It runs after Fedify, so what a dispatcher serves
 * (actors, posts, Creates, votes) is never answered from here, and before the web routes, which
 * still answer browsers: the same URL varies by Accept.
 */
export function publishedActivities(services: ServiceContext) {
  return async (c: Context, next: Next): Promise<Response | undefined> => {
    const method = c.req.method;
    if ((method !== "GET" && method !== "HEAD") || c.req.path.startsWith("/api/")) {
      await next();
      return;
    }
    if (wantsActivityPub(c.req.header("accept"))) {
      const id = new URL(new URL(c.req.url).pathname, services.origin).href;
      const json = await findPublishedActivity(services.db, id);
      if (json !== undefined) {
        // Hono drops the body of a HEAD response itself.
        return c.body(json, 200, {
          "Content-Type": "application/activity+json",
          Vary: "Accept",
        });
      }
    }
    await next();
    // What a browser gets here is not what an ActivityPub client gets at the same URL.
    if (c.res.status === 404) c.header("Vary", "Accept");
    return;
  };
}
