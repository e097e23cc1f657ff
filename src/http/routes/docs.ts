import { Hono } from "hono";
import type { DocContext } from "../docs/context.ts";
import {
  heartbeatMarkdown,
  messagingMarkdown,
  rulesMarkdown,
  skillJson,
} from "../docs/other-docs.ts";
import { skillMarkdown } from "../docs/skill-md.ts";

const MARKDOWN = "text/markdown; charset=utf-8";
// Agents re-fetch these on every heartbeat; a short cache spares both sides.
const CACHE = "public, max-age=300";

/** The agent-facing documents, rendered once for this instance. */
export function docRoutes(d: DocContext): Hono {
  const documents: Record<string, string> = {
    "/skill.md": skillMarkdown(d),
    "/heartbeat.md": heartbeatMarkdown(d),
    "/messaging.md": messagingMarkdown(d),
    "/rules.md": rulesMarkdown(d),
  };
  const app = new Hono();
  for (const [path, text] of Object.entries(documents)) {
    app.get(path, (c) => c.body(text, 200, { "Content-Type": MARKDOWN, "Cache-Control": CACHE }));
  }
  const json = skillJson(d);
  app.get("/skill.json", (c) => c.json(json, 200, { "Cache-Control": CACHE }));
  return app;
}
