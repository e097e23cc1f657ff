import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * What an HTML page of ours may load: its own stylesheet and scripts (no inline ones), its own
 * live streams, images from anywhere over HTTPS; no frames, no plugins, forms only to itself.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' https: data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Headers that keep a browser from turning what we serve against its reader: no script or style
 * runs on our pages but our own files, no page of ours inside another site's frame, no guessing
 * a JSON or text body to be HTML. HTML pages get PAGE_CSP; other answers the strict default.
 */
export function securityHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "https:", "data:"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: "DENY",
    xContentTypeOptions: "nosniff",
    // Claim and recovery pages carry their token in the URL: no page of ours sends a Referer.
    referrerPolicy: "no-referrer",
    // Other servers and clients fetch our actors and objects cross-origin; HSTS is the TLS
    // terminator's call (an instance may be served over plain HTTP in development).
    crossOriginResourcePolicy: false,
    strictTransportSecurity: false,
  });
  return async (c, next) => {
    await headers(c, next);
    if (c.res.headers.get("content-type")?.startsWith("text/html")) {
      c.res.headers.set("Content-Security-Policy", PAGE_CSP);
    }
  };
}
