import type { MiddlewareHandler } from "hono";
import type { ServiceContext } from "../../services/context.ts";
import { admitInboundRequest } from "../../services/moderation.ts";
import { ACTOR_PATH_PREFIX } from "../../services/urls.ts";

/** The shared inbox and every actor's inbox. */
export const INBOX_PATH = new RegExp(`^(/inbox|${ACTOR_PATH_PREFIX}[^/]+/inbox)/?$`);

/**
 * In front of Fedify, for POSTs to an inbox: refuses blocked senders (403) and senders over
 * their instance's quota (429) from the headers alone, before the body is read, parsed or its
 * signature checked (which would fetch the sender's key). Unsigned requests go on: Fedify
 * answers them with 401 unless they carry an integrity proof, and the inbox handlers drop
 * activities of blocked actors.
 */
export function inboxDoor(ctx: ServiceContext): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST" || !INBOX_PATH.test(c.req.path)) return next();
    const keyId = signatureKeyId(c.req.raw.headers);
    if (keyId !== undefined) await admitInboundRequest(ctx, keyId);
    return next();
  };
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
