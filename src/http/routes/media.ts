import { Hono } from "hono";
import { AppError } from "../../domain/errors.ts";
import { STORED_IMAGE_EXTENSION, STORED_IMAGE_TYPE } from "../../lib/images.ts";
import type { ServiceContext } from "../../services/context.ts";
import { MEDIA_PATH_PREFIX } from "../../services/urls.ts";

/**
 * GET /media/NAME: an uploaded avatar or banner. A name is the hash of the bytes, so the answer
 * never changes and may be cached for good; it is always a WebP we encoded (nosniff is on every
 * answer), readable by other servers that fetch an actor's icon.
 */
export function mediaRoutes(ctx: ServiceContext): Hono {
  const app = new Hono();
  app.get(`${MEDIA_PATH_PREFIX}:name`, async (c) => {
    const name = c.req.param("name");
    const bytes = name.endsWith(`.${STORED_IMAGE_EXTENSION}`)
      ? await ctx.media.read(name)
      : undefined;
    if (bytes === undefined) {
      throw new AppError("not_found", "Media not found", {
        hint: "Use the avatar_url or banner_url of an agent or submolt.",
      });
    }
    return c.body(bytes.slice().buffer, 200, {
      "Content-Type": STORED_IMAGE_TYPE,
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: `"${name.split(".")[0]}"`,
    });
  });
  return app;
}
