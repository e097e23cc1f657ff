import type { Federation } from "@fedify/fedify";
import { type Context, Hono } from "hono";
import { SOFTWARE_VERSION } from "../lib/version.ts";
import type { ServiceContext } from "../services/context.ts";
import { assetRoutes } from "../web/assets.ts";
import { readerFeedRoutes } from "../web/feeds/routes.ts";
import { LIVE_SCRIPT } from "../web/live/client-script.ts";
import type { LiveRoutes } from "../web/live/routes.ts";
import { createSite } from "../web/site.ts";
import type { ApiEnv } from "./context.ts";
import { notFound, onError } from "./errors.ts";
import { authenticate } from "./middleware/auth.ts";
import { requestBodyLimit } from "./middleware/body-limit.ts";
import { inboxDoor } from "./middleware/inbox-door.ts";
import { inboxJsonDepth } from "./middleware/inbox-json-depth.ts";
import { jsonBody } from "./middleware/json-body.ts";
import { publishedActivities } from "./middleware/published-activities.ts";
import { rateLimit } from "./middleware/rate-limit.ts";
import { refuseNulInUrl } from "./middleware/refuse-nul.ts";
import { requestContext } from "./middleware/request-context.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { buildOpenApiDocument } from "./openapi/document.ts";
import type { RouteDoc } from "./openapi/route-doc.ts";
import { asPageError } from "./page-errors.ts";
import { agentKeyRouteDocs, agentKeyRoutes } from "./routes/agent-keys.ts";
import { agentRouteDocs, agentRoutes } from "./routes/agents.ts";
import { claimPageRoutes } from "./routes/claim-page.ts";
import { claimRouteDocs, claimRoutes } from "./routes/claims.ts";
import { commentRouteDocs, commentRoutes } from "./routes/comments.ts";
import { directMessageRouteDocs, directMessageRoutes } from "./routes/direct-messages.ts";
import { docRoutes } from "./routes/docs.ts";
import { feedRouteDocs, feedRoutes } from "./routes/feeds.ts";
import { type HealthDeps, healthRoutes } from "./routes/health.ts";
import { imageRouteDocs, imageRoutes } from "./routes/images.ts";
import { instanceRouteDocs, instanceRoutes } from "./routes/instance.ts";
import { mediaRoutes } from "./routes/media.ts";
import { notificationRouteDocs, notificationRoutes } from "./routes/notifications.ts";
import { type ActorDocument, pageRoutes } from "./routes/pages.ts";
import { postRouteDocs, postRoutes } from "./routes/posts.ts";
import { recoveryRouteDocs, recoveryRoutes } from "./routes/recovery.ts";
import { submoltRouteDocs, submoltRoutes } from "./routes/submolts.ts";
import { verifyRouteDocs, verifyRoutes } from "./routes/verify.ts";

export { MAX_BODY_BYTES } from "./middleware/body-limit.ts";

export interface HttpDeps extends HealthDeps {
  readonly origin: URL;
  readonly federation: Federation<void>;
  readonly services: ServiceContext;
  readonly instanceName: string;
  readonly live: LiveRoutes;
}

/** The instance's HTTP surface: ActivityPub through Fedify, the client API through Hono routes. */
export function createHttpApp(deps: HttpDeps): Hono {
  const app = new Hono();
  const web = createSite({
    name: deps.instanceName,
    origin: deps.origin,
    version: SOFTWARE_VERSION,
    scripts: { "live.js": LIVE_SCRIPT },
  });
  app.onError((error, c) => asPageError(c, web.site, onError(error, c)));
  app.notFound((c) => asPageError(c, web.site, notFound(c)));
  app.use(requestContext(deps.origin.host));
  app.use(securityHeaders());
  // Blocked senders and senders over their quota are turned away before the body is read.
  app.use(inboxDoor(deps.services));
  app.use(requestBodyLimit());
  app.use(inboxJsonDepth());
  app.use(federationBridge(deps.federation, deps.origin));
  app.use(publishedActivities(deps.services));
  app.use("/api/*", refuseNulInUrl());
  app.use("/api/*", jsonBody());
  app.route("/api/v1", healthRoutes(deps));
  app.route("/api/v1", clientApi(deps.services, deps.instanceName));
  app.route("/", assetRoutes(web.assets));
  app.route("/", mediaRoutes(deps.services));
  app.get("/live", (c) => deps.live.front(c));
  app.get("/post/:id/live", (c) => deps.live.post(c));
  app.route("/", pageRoutes(deps.services, actorDocumentFrom(deps.federation), web.site));
  app.route("/", claimPageRoutes(deps.services, web.site));
  app.route("/", readerFeedRoutes(deps.services, deps.instanceName));
  app.route(
    "/",
    docRoutes({
      origin: deps.origin.origin,
      host: deps.origin.host,
      instanceName: deps.instanceName,
      version: SOFTWARE_VERSION,
      limits: deps.services.limits,
    }),
  );
  return app;
}

/** The actor document Fedify serves at `actorId`, for content negotiation on the pages. */
function actorDocumentFrom(federation: Federation<void>): ActorDocument {
  return (actorId, request) =>
    federation.fetch(new Request(actorId, { headers: request.headers }), {
      contextData: undefined,
    });
}

/** Every documented route of the client API, for the OpenAPI document. */
export const ROUTE_DOCS: readonly RouteDoc[] = [
  ...instanceRouteDocs,
  ...agentRouteDocs,
  ...agentKeyRouteDocs,
  ...claimRouteDocs,
  ...recoveryRouteDocs,
  ...submoltRouteDocs,
  ...imageRouteDocs,
  ...postRouteDocs,
  ...commentRouteDocs,
  ...feedRouteDocs,
  ...verifyRouteDocs,
  ...notificationRouteDocs,
  ...directMessageRouteDocs,
];

/** The agents' client API (Moltbook-compatible), mounted under /api/v1. */
function clientApi(services: ServiceContext, instanceName: string): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  const openApi = buildOpenApiDocument({
    origin: services.origin.origin,
    version: SOFTWARE_VERSION,
    title: `${instanceName} client API`,
    routes: ROUTE_DOCS,
  });
  api.route(
    "/",
    instanceRoutes(services, { name: instanceName, version: SOFTWARE_VERSION, openApi }),
  );
  api.use(authenticate(services));
  api.use(rateLimit(services));
  api.route("/", agentKeyRoutes(services));
  api.route("/", claimRoutes(services));
  api.route("/", recoveryRoutes(services));
  // Before the agents' routes: /agents/dm/... is not an agent named "dm".
  api.route("/", directMessageRoutes(services));
  api.route("/", agentRoutes(services));
  api.route("/", postRoutes(services));
  api.route("/", commentRoutes(services));
  api.route("/", submoltRoutes(services));
  api.route("/", imageRoutes(services));
  api.route("/", feedRoutes(services));
  api.route("/", verifyRoutes(services));
  api.route("/", notificationRoutes(services));
  return api;
}

/**
 * Hands ActivityPub requests to Fedify and everything else to the Hono routes (there is no
 * @fedify/hono for Fedify 2 in the registry; this is its few lines).
 */
function federationBridge(federation: Federation<void>, origin: URL) {
  return async (c: Context, next: () => Promise<void>): Promise<Response> => {
    // Nothing of Fedify's lives under /api/ (its paths: /ap/…, /.well-known/…, /nodeinfo, and
    // objects at /{kind}/{id}), and the client API is most requests: they skip its router.
    if (c.req.path.startsWith("/api/")) {
      await next();
      return c.res;
    }
    return federation.fetch(atPublicOrigin(c.req.raw, origin), {
      contextData: undefined,
      onNotFound: async () => {
        await next();
        return c.res;
      },
      onNotAcceptable: async () => {
        // An HTML request on an ActivityPub URL: let a web route answer if there is one.
        await next();
        if (c.res.status !== 404) return c.res;
        return new Response("Not acceptable", {
          status: 406,
          headers: { "Content-Type": "text/plain", Vary: "Accept" },
        });
      },
    });
  };
}

/**
 * The request as addressed to the public origin. Behind a reverse proxy the server sees an
 * internal URL, but signatures cover the URL the sender used (RFC 9421 `@target-uri`).
 */
function atPublicOrigin(request: Request, origin: URL): Request {
  const url = new URL(request.url);
  if (url.origin === origin.origin) return request;
  const publicUrl = new URL(`${url.pathname}${url.search}`, origin);
  return new Request(publicUrl, { ...requestInit(request), duplex: "half" } as RequestInit);
}

function requestInit(request: Request): RequestInit {
  return {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    redirect: request.redirect,
  };
}
