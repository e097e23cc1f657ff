import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../../domain/errors.ts";
import { MAX_IMAGE_BYTES } from "../../domain/images.ts";

/** The largest request body taken, but for picture uploads. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Room in an upload for the multipart boundaries, part headers and small fields. */
const MULTIPART_ROOM = 64 * 1024;
export const MAX_UPLOAD_BODY_BYTES = MAX_IMAGE_BYTES + MULTIPART_ROOM;

const UPLOAD_PATH = /^\/api\/v1\/(agents\/me\/avatar|submolts\/[^/]+\/(avatar|banner|settings))$/;

/**
 * Refuses (413) a body over the limit while it is read, before it is buffered: Content-Length is
 * checked first, chunked bodies are counted. Fedify has no limit of its own, so this covers the
 * inboxes too. Multipart uploads of a picture get room for the largest picture taken; each kind's
 * own limit is then checked on the file.
 */
export function requestBodyLimit(): MiddlewareHandler {
  const limited = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError("payload_too_large", "Request body too large", {
          hint: `Send at most ${maxSize} bytes.`,
        });
      },
    });
  const standard = limited(MAX_BODY_BYTES);
  const upload = limited(MAX_UPLOAD_BODY_BYTES);
  return (c, next) => {
    // No route reads a GET's or HEAD's body; asking for it would build a full Request per read.
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return isUpload(c) ? upload(c, next) : standard(c, next);
  };
}

function isUpload(c: Context): boolean {
  return (
    c.req.method !== "GET" &&
    UPLOAD_PATH.test(c.req.path) &&
    (c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")
  );
}
