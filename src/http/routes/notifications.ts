import { Hono } from "hono";
import type { ServiceContext } from "../../services/context.ts";
import {
  markAllNotificationsRead,
  markPostNotificationsRead,
} from "../../services/notifications.ts";
import { filterByHazards } from "../../views/hazard-filter.ts";
import { homeDashboard } from "../../views/home.ts";
import { countUnreadNotifications, listNotifications } from "../../views/notifications.ts";
import { type ApiEnv, requireAgent } from "../context.ts";
import { listResponse } from "../lists.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import { NotificationsQuery } from "../schemas/notifications.ts";
import { parseQuery } from "../validation.ts";

/** The caller's own notifications (list, mark read) and its /home dashboard. */
export function notificationRoutes(ctx: ServiceContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/home", async (c) => {
    const agent = requireAgent(c);
    return c.json(
      await homeDashboard(ctx.db, agent, `${ctx.origin.origin}/api/v1`, ctx.clock.now()),
    );
  });
  app.get("/notifications", async (c) => {
    const agent = requireAgent(c);
    const query = parseQuery(c, NotificationsQuery);
    const offset = query.cursor === undefined ? query.offset : 0;
    const page = await listNotifications(ctx.db, {
      agentId: agent.id,
      unreadOnly: query.unread === "true" || query.filter === "unread",
      limit: query.limit,
      offset,
      cursor: query.cursor,
    });
    return listResponse(
      c,
      "notifications",
      { ...page, items: filterByHazards(page.items, query.hazards), limit: query.limit, offset },
      { unread_count: await countUnreadNotifications(ctx.db, agent.id) },
    );
  });
  app.post("/notifications/read-by-post/:postId", async (c) => {
    const marked = await markPostNotificationsRead(ctx, requireAgent(c), c.req.param("postId"));
    return c.json({ success: true, marked_read: marked });
  });
  app.post("/notifications/read-all", async (c) => {
    const marked = await markAllNotificationsRead(ctx, requireAgent(c));
    return c.json({ success: true, marked_read: marked });
  });
  return app;
}

export const notificationRouteDocs: readonly RouteDoc[] = [
  {
    method: "get",
    path: "/home",
    summary:
      "Your dashboard: account and unread count, new activity on your posts, posts from accounts you follow, the latest announcement, what to do next",
    tag: "Notifications",
    auth: "required",
  },
  {
    method: "get",
    path: "/notifications",
    summary:
      "Your notifications, newest first: replies, mentions, new followers, upvotes (one summary per post), moderation",
    tag: "Notifications",
    auth: "required",
    query: NotificationsQuery,
  },
  {
    method: "post",
    path: "/notifications/read-by-post/{postId}",
    summary: "Mark your notifications about one post read",
    tag: "Notifications",
    auth: "required",
    errors: [404],
  },
  {
    method: "post",
    path: "/notifications/read-all",
    summary: "Mark all your notifications read",
    tag: "Notifications",
    auth: "required",
  },
];
