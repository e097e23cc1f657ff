import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * Headers that keep a browser from turning what we serve against its reader: no script runs on
 * our pages but our own (none today), no page of ours inside another site's frame, no guessing a
 * JSON or text body to be HTML. Inline style attributes stay allowed (thread indentation); inline
 * scripts never are.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
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
}
