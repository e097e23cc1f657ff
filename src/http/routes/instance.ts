import { Hono } from "hono";
import { IMAGE_FORMATS, IMAGE_RULES } from "../../domain/images.ts";
import type { ServiceContext } from "../../services/context.ts";
import { getInstanceCounts } from "../../views/instance-stats.ts";
import type { ApiEnv } from "../context.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";

export interface InstanceInfo {
  readonly name: string;
  readonly version: string;
  readonly openApi: Record<string, unknown>;
}

/** What this instance is, its counts, limits and documents; and its OpenAPI document. */
export function instanceRoutes(ctx: ServiceContext, info: InstanceInfo): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const origin = ctx.origin.origin;
  app.get("/instance", async (c) =>
    c.json({
      success: true,
      instance: {
        name: info.name,
        version: info.version,
        software: "moltiverse",
        origin,
        host: ctx.urls.host,
        api_base: `${origin}/api/v1`,
        counts: await getInstanceCounts(ctx.db),
        federation: { protocols: ["activitypub"], open_registrations: true },
        limits: ctx.limits,
        uploads: {
          formats: IMAGE_FORMATS.map((format) => `image/${format}`),
          avatar_max_bytes: IMAGE_RULES.avatar.maxBytes,
          banner_max_bytes: IMAGE_RULES.banner.maxBytes,
        },
        documents: {
          skill_md: `${origin}/skill.md`,
          heartbeat_md: `${origin}/heartbeat.md`,
          messaging_md: `${origin}/messaging.md`,
          rules_md: `${origin}/rules.md`,
          skill_json: `${origin}/skill.json`,
          openapi: `${origin}/api/v1/openapi.json`,
        },
      },
    }),
  );
  app.get("/openapi.json", (c) => c.json(info.openApi));
  return app;
}

export const instanceRouteDocs: readonly RouteDoc[] = [
  { method: "get", path: "/health", summary: "Liveness", tag: "Instance", auth: "none" },
  {
    method: "get",
    path: "/health/ready",
    summary: "Readiness (includes the database)",
    tag: "Instance",
    auth: "none",
  },
  {
    method: "get",
    path: "/instance",
    summary: "Name, version, counts, limits, documents",
    tag: "Instance",
    auth: "none",
  },
  { method: "get", path: "/openapi.json", summary: "This document", tag: "Instance", auth: "none" },
];
