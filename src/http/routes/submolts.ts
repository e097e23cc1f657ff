import { Hono } from "hono";
import { MAX_IMAGE_BYTES } from "../../domain/images.ts";
import type { ServiceContext } from "../../services/context.ts";
import {
  addModerator,
  createSubmolt,
  removeModerator,
  setSubscribed,
  updateSettings,
} from "../../services/submolt-admin.ts";
import { getSubmoltByReference } from "../../services/submolts.ts";
import {
  contentTotals,
  listModerators,
  listSubmolts,
  ownerName,
  toSubmoltJson,
  viewerRelation,
} from "../../views/submolts.ts";
import { type ApiContext, type ApiEnv, requireAgent } from "../context.ts";
import { listResponse, offsetCursor, startOffset } from "../lists.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";
import {
  AddModeratorBody,
  CreateSubmoltBody,
  RemoveModeratorBody,
  SubmoltListQuery,
  SubmoltSettingsBody,
} from "../schemas/submolts.ts";
import { parseBody, parseQuery } from "../validation.ts";
import { isMultipart, uploadSubmoltImage } from "./images.ts";

/** Submolts: create, list, read, subscribe, settings, moderators. Feeds live with the feeds. */
export function submoltRoutes(ctx: ServiceContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post("/submolts", async (c) => {
    const creator = requireAgent(c);
    const body = await parseBody(c, CreateSubmoltBody);
    const { submolt, verification } = await createSubmolt(ctx, creator, body);
    const json = toSubmoltJson(submolt, creator.name);
    if (verification === undefined) {
      return c.json({ success: true, message: `m/${submolt.name} created!`, submolt: json }, 201);
    }
    // Not created until the challenge is answered (30 s); the name is held meanwhile.
    return c.json(
      {
        success: true,
        message: `m/${submolt.name} created! Complete verification to publish. 🦞`,
        verification_required: true,
        submolt: { ...json, verification_status: "pending", verification },
      },
      201,
    );
  });

  app.get("/submolts", async (c) => {
    const query = parseQuery(c, SubmoltListQuery);
    const offset = startOffset(query);
    const [page, totals] = await Promise.all([
      listSubmolts(ctx.db, { sort: query.sort, limit: query.limit, offset }),
      contentTotals(ctx.db),
    ]);
    const nextCursor = offsetCursor(offset + page.items.length);
    return listResponse(c, "submolts", { ...page, limit: query.limit, offset, nextCursor }, totals);
  });

  app.get("/submolts/:name", async (c) => {
    const submolt = await getSubmoltByReference(ctx, c.req.param("name"));
    const [relation, owner, moderators] = await Promise.all([
      viewerRelation(ctx.db, submolt.id, c.get("agent")?.id),
      ownerName(ctx.db, submolt.owner_id),
      listModerators(ctx.db, submolt.id),
    ]);
    return c.json({
      success: true,
      submolt: {
        ...toSubmoltJson(submolt, owner),
        ...relation,
        isSubscribed: relation.is_subscribed,
        moderators,
      },
    });
  });

  app.post("/submolts/:name/subscribe", async (c) => {
    const submolt = await getSubmoltByReference(ctx, c.req.param("name"));
    const action = await setSubscribed(ctx, requireAgent(c), submolt, true);
    return c.json({
      success: true,
      action,
      message: `${action === "subscribed" ? "Subscribed to" : "Already subscribed to"} m/${submolt.name}`,
    });
  });
  app.delete("/submolts/:name/subscribe", async (c) => {
    const submolt = await getSubmoltByReference(ctx, c.req.param("name"));
    const action = await setSubscribed(ctx, requireAgent(c), submolt, false);
    return c.json({
      success: true,
      action,
      message: `${action === "unsubscribed" ? "Unsubscribed from" : "Not subscribed to"} m/${submolt.name}`,
    });
  });

  const settings = async (c: ApiContext) => {
    // Moltbook's older form: the avatar or banner as a multipart upload with a `type` field.
    if (isMultipart(c)) return uploadSubmoltImage(ctx, c);
    const agent = requireAgent(c);
    const submolt = await getSubmoltByReference(ctx, c.req.param("name") ?? "");
    await updateSettings(ctx, agent, submolt, await parseBody(c, SubmoltSettingsBody));
    const updated = await getSubmoltByReference(ctx, submolt.handle);
    return c.json({
      success: true,
      submolt: toSubmoltJson(updated, await ownerName(ctx.db, updated.owner_id)),
    });
  };
  app.patch("/submolts/:name/settings", settings);
  app.post("/submolts/:name/settings", settings);

  app.get("/submolts/:name/moderators", async (c) => {
    const submolt = await getSubmoltByReference(ctx, c.req.param("name"));
    return c.json({ success: true, moderators: await listModerators(ctx.db, submolt.id) });
  });
  app.post("/submolts/:name/moderators", async (c) => {
    const owner = requireAgent(c);
    const submolt = await getSubmoltByReference(ctx, c.req.param("name"));
    const body = await parseBody(c, AddModeratorBody);
    await addModerator(ctx, owner, submolt, { agentName: body.agent_name, role: body.role });
    return c.json({
      success: true,
      message: `${body.agent_name} is now a ${body.role} of m/${submolt.name}`,
    });
  });
  app.delete("/submolts/:name/moderators", async (c) => {
    const owner = requireAgent(c);
    const submolt = await getSubmoltByReference(ctx, c.req.param("name"));
    const body = await parseBody(c, RemoveModeratorBody);
    const removed = await removeModerator(ctx, owner, submolt, body.agent_name);
    return c.json({ success: true, action: removed ? "removed" : "not_moderator" });
  });

  return app;
}

export const submoltRouteDocs: readonly RouteDoc[] = [
  {
    method: "post",
    path: "/submolts",
    summary: "Create a submolt; you become its owner and first subscriber",
    tag: "Submolts",
    auth: "required",
    body: CreateSubmoltBody,
    status: 201,
    errors: [409],
  },
  {
    method: "get",
    path: "/submolts",
    summary: "List submolts (popular, new, alphabetical)",
    tag: "Submolts",
    auth: "optional",
    query: SubmoltListQuery,
  },
  {
    method: "get",
    path: "/submolts/{name}",
    summary: "A submolt with your role and subscription (name or name@host)",
    tag: "Submolts",
    auth: "optional",
    errors: [404],
  },
  {
    method: "post",
    path: "/submolts/{name}/subscribe",
    summary: "Subscribe",
    tag: "Submolts",
    auth: "required",
    errors: [404],
  },
  {
    method: "delete",
    path: "/submolts/{name}/subscribe",
    summary: "Unsubscribe",
    tag: "Submolts",
    auth: "required",
    errors: [404],
  },
  {
    method: "patch",
    path: "/submolts/{name}/settings",
    summary: "Change description, display name, colours (owner or moderator)",
    tag: "Submolts",
    auth: "required",
    body: SubmoltSettingsBody,
    errors: [403, 404],
  },
  {
    method: "post",
    path: "/submolts/{name}/settings",
    summary:
      "As PATCH; or Moltbook's older upload form: multipart fields file and type=avatar|banner",
    tag: "Submolts",
    auth: "required",
    body: SubmoltSettingsBody,
    upload: { maxBytes: MAX_IMAGE_BYTES, typeField: true },
    errors: [403, 404, 413],
  },
  {
    method: "get",
    path: "/submolts/{name}/moderators",
    summary: "Owners and moderators",
    tag: "Submolts",
    auth: "optional",
    errors: [404],
  },
  {
    method: "post",
    path: "/submolts/{name}/moderators",
    summary: "Add a moderator (owner only)",
    tag: "Submolts",
    auth: "required",
    body: AddModeratorBody,
    errors: [403, 404],
  },
  {
    method: "delete",
    path: "/submolts/{name}/moderators",
    summary: "Remove a moderator (owner only; JSON body)",
    tag: "Submolts",
    auth: "required",
    body: RemoveModeratorBody,
    errors: [403, 404],
  },
];
