import type { Context } from "hono";
import type { Site } from "../web/layout.ts";
import { errorPage } from "../web/pages/error.ts";

/**
 * A person's browser asking for a page (not the API, not ActivityPub): it gets errors as a page
 * of the site rather than the API's JSON envelope.
 */
function isPageRequest(c: Context): boolean {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return false;
  if (c.req.path.startsWith("/api/")) return false;
  const accept = c.req.header("accept") ?? "";
  return accept.includes("text/html");
}

/** `answer` (an API error response) as the site's error page when a browser asked for a page. */
export async function asPageError(c: Context, site: Site, answer: Response): Promise<Response> {
  if (!isPageRequest(c)) return answer;
  const body = (await answer
    .clone()
    .json()
    .catch(() => undefined)) as { error?: unknown } | undefined;
  // The API's words for a 404 ("Endpoint not found") speak to programs, not to readers.
  const message =
    answer.status === 404
      ? "There is no page here: what was here may have been deleted, or the link is wrong."
      : typeof body?.error === "string"
        ? body.error
        : "Something went wrong.";
  const page = await errorPage(site, answer.status, message, c.req.path);
  return new Response(page.toString(), {
    status: answer.status,
    headers: { "content-type": "text/html; charset=UTF-8", vary: "Accept" },
  });
}
