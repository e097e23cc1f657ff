import type { Context, MiddlewareHandler } from "hono";
import { registrableDomain } from "../../domain/hosts.ts";
import type { ServiceContext } from "../../services/context.ts";
import { admitInboundRequest } from "../../services/moderation.ts";
import { consumeRequestQuota, countVerifiedInbound } from "../../services/rate-limits.ts";
import { ACTOR_PATH_PREFIX } from "../../services/urls.ts";
import { clientAddress } from "./client-address.ts";

/** The shared inbox and every actor's inbox. */
export const INBOX_PATH = new RegExp(`^(/inbox|${ACTOR_PATH_PREFIX}[^/]+/inbox)/?$`);

/**
 * In front of Fedify, for POSTs to an inbox, from the headers alone (before the body is read,
 * parsed or its signature checked, which would fetch the sender's key): each client address has
 * a per-minute quota of inbox POSTs (429), blocked senders are refused (403), and so are senders
 * whose instance has had its quota of verified activities this minute (429). Once Fedify has
 * accepted an activity (it answers 2xx only for verified ones), it counts against the quota of
 * its actor's instance: requests that merely claim an instance's key cannot spend its quota.
 */
export function inboxDoor(ctx: ServiceContext): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST" || !INBOX_PATH.test(c.req.path)) return next();
    await consumeRequestQuota(ctx, `ip:${clientAddress(c)}`, "inbox");
    const keyId = signatureKeyId(c.req.raw.headers);
    if (keyId !== undefined) await admitInboundRequest(ctx, keyId);
    const copy = c.req.raw.clone();
    await next();
    await countIfAccepted(ctx, c, copy);
  };
}

/** Counts an activity Fedify accepted against its actor's instance; reads the copy only then. */
async function countIfAccepted(ctx: ServiceContext, c: Context, copy: Request): Promise<void> {
  if (c.res.status < 200 || c.res.status >= 300) {
    await copy.body?.cancel().catch(() => {});
    return;
  }
  const actor = actorOf(await copy.json().catch(() => null));
  if (actor !== undefined) await countVerifiedInbound(ctx, registrableDomain(actor.hostname));
}

/** The actor of an activity as JSON (an id, an object with one, or the first of several). */
function actorOf(activity: unknown): URL | undefined {
  let actor = (activity as { actor?: unknown } | null)?.actor;
  if (Array.isArray(actor)) actor = actor[0];
  const id = typeof actor === "string" ? actor : (actor as { id?: unknown } | null)?.id;
  return typeof id === "string" ? (URL.parse(id) ?? undefined) : undefined;
}

/**
 * The key id a request says it is signed with: `keyId="…"` of a draft-cavage `Signature`, or
 * `keyid="…"` of an RFC 9421 `Signature-Input`. Only named here, not verified.
 */
export function signatureKeyId(headers: Headers): URL | undefined {
  for (const name of ["signature", "signature-input"]) {
    const match = /keyid="([^"]+)"/i.exec(headers.get(name) ?? "");
    const url = match?.[1] === undefined ? null : URL.parse(match[1]);
    if (url !== null && (url.protocol === "https:" || url.protocol === "http:")) return url;
  }
  return undefined;
}
