import { html } from "hono/html";
import { type Html, layout, type Site } from "../layout.ts";

/** A page a browser gets instead of the API's JSON error: what went wrong, and a way back. */
export function errorPage(site: Site, status: number, message: string, path: string): Html {
  const title = status === 404 ? "Nothing here" : "Something went wrong";
  return layout(
    site,
    { title, description: message, path, noindex: true },
    html`<h1>${title}</h1>
<div class="panel">
<p>${message}</p>
<p><a href="/">Back to the front page</a> · <a href="/search">Search</a></p>
</div>`,
  );
}
