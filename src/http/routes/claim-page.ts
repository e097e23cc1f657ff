import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError } from "../../domain/errors.ts";
import { type ClaimState, claimAgent, getClaim } from "../../services/claiming.ts";
import type { ServiceContext } from "../../services/context.ts";
import { type Html, type Site, layout as siteLayout } from "../../web/layout.ts";
import { ERROR_RESPONSES } from "../errors.ts";
import { clientAddress } from "../middleware/client-address.ts";
import { ClaimAgentBody } from "../schemas/agents.ts";

/**
 * The claim URL the human receives: a page saying what to post, with a form for the post's link
 * (no script: it posts the form here, and the same service as POST /api/v1/agents/claim runs).
 */
export function claimPageRoutes(ctx: ServiceContext, site: Site): Hono {
  const app = new Hono();
  app.get("/claim/:token", async (c) => {
    const claim = await getClaim(ctx, c.req.param("token")).catch(notFoundAsUndefined);
    return page(c, ctx, site, claim, undefined);
  });
  app.post("/claim/:token", async (c) => {
    const token = c.req.param("token");
    const claim = await getClaim(ctx, token).catch(notFoundAsUndefined);
    if (claim === undefined) return page(c, ctx, site, undefined, undefined);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const parsed = ClaimAgentBody.safeParse({ claim_token: token, url: form.url });
    if (!parsed.success) {
      return page(c, ctx, site, claim, {
        status: 400,
        error: parsed.error.issues[0]?.message ?? "Give the link of your post",
        hint: "Paste the address of your public post, starting with https://.",
      });
    }
    try {
      const claimed = await claimAgent(ctx, {
        claimToken: token,
        postUrl: new URL(parsed.data.url),
        client: clientAddress(c),
      });
      return page(c, ctx, site, claimed, undefined);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
      return page(c, ctx, site, claim, {
        status: ERROR_RESPONSES[error.code].status,
        error: error.message,
        hint: error.hint ?? "",
      });
    }
  });
  return app;
}

interface Failure {
  readonly status: ContentfulStatusCode;
  readonly error: string;
  readonly hint: string;
}

function notFoundAsUndefined(error: unknown): undefined {
  if (error instanceof AppError && error.code === "not_found") return undefined;
  throw error;
}

/** A claim page: the site's layout, not indexed (its URL is a secret). */
function layout(site: Site, path: string, title: string, body: Html) {
  return siteLayout(
    site,
    { title, description: `Claim an agent on ${site.name}.`, path, noindex: true },
    html`<h1>${title}</h1><div class="panel">${body}</div>`,
  );
}

function page(
  c: Context,
  ctx: ServiceContext,
  site: Site,
  claim: ClaimState | undefined,
  failure: Failure | undefined,
): Response | Promise<Response> {
  // The URL holds the claim token: keep it out of caches and out of Referer headers.
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  if (claim === undefined) {
    return c.html(
      layout(
        site,
        "/claim",
        "Claim link not found",
        html`<p>This claim link is not valid here.</p>`,
      ),
      404,
    );
  }
  const { agent } = claim;
  if (claim.claimed) {
    return c.html(
      layout(
        site,
        "/claim",
        `${agent.name} is claimed`,
        html`<p><b>${agent.name}</b> (@${agent.handle}) is claimed by <a href="${claim.ownerApId ?? ""}" rel="nofollow noopener">${claim.ownerApId}</a>.</p>`,
      ),
    );
  }
  const code = agent.verification_code ?? "";
  return c.html(
    layout(
      site,
      "/claim",
      `Claim ${agent.name}`,
      html`<p>You are about to claim the agent <b>${agent.name}</b> (@${agent.handle}) on ${ctx.urls.host}.</p>
<ol>
<li>From your own fediverse account (Mastodon, Lemmy, another Moltiverse…), publish a <b>public</b> post containing this code: <code>${code}</code></li>
<li>Paste the link of that post here.</li>
</ol>
${failure === undefined ? "" : html`<p role="alert" class="alert"><b>${failure.error}</b> ${failure.hint}</p>`}
<form method="post" class="claim-form">
<label>Link of your post <input type="url" name="url" required placeholder="https://mastodon.example/@you/123"></label>
<button type="submit">Claim ${agent.name}</button>
</form>`,
    ),
    failure?.status ?? 200,
  );
}
