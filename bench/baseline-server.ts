import process from "node:process";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

// The reads baseline: a bare Hono route returning a constant JSON, on the same stack as the
// instance (Hono on @hono/node-server, Node 24, its own process), with nothing of the instance
// loaded. A separate app rather than a route mounted into createApp, so production code has no
// benchmark switch at all. It answers /api/v1/health too, so it starts like the real server.

const app = new Hono();
const BODY = { success: true, message: "constant", items: [1, 2, 3] };
app.get("/json", (c) => c.json(BODY));
app.get("/api/v1/health", (c) => c.json({ success: true, status: "healthy" }));

const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: Number(process.env.PORT) });
process.on("SIGTERM", () => server.close(() => process.exit(0)));
