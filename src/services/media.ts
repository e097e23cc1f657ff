import { AppError } from "../domain/errors.ts";
import { IMAGE_RULES, type ImageKind, sniffImageFormat } from "../domain/images.ts";
import { reencodeImage, STORED_IMAGE_EXTENSION, UnreadableImage } from "../lib/images.ts";
import { isMediaReferenced } from "../repos/media-references.ts";
import type { ServiceContext } from "./context.ts";

/** An uploaded picture as stored here. */
export interface StoredImage {
  /** Its absolute URL on this instance. */
  readonly url: string;
  /**
   * Stores it again if it went missing: call once a row points at it, in case another request
   * released the same picture (same bytes, same file) before that row was written.
   */
  keep(): Promise<void>;
}

/**
 * Checks an uploaded picture (size; JPEG, PNG, GIF or WebP by its bytes), re-encodes it (see
 * lib/images.ts) and stores the result by content hash.
 */
export async function storeUploadedImage(
  ctx: ServiceContext,
  kind: ImageKind,
  bytes: Uint8Array,
): Promise<StoredImage> {
  const rules = IMAGE_RULES[kind];
  if (bytes.byteLength > rules.maxBytes) {
    throw new AppError("payload_too_large", `The ${kind} is too large`, {
      hint: `Upload at most ${rules.maxBytes} bytes (${rules.maxBytes / 1024 / 1024} MiB).`,
      details: { max_bytes: rules.maxBytes },
    });
  }
  const format = sniffImageFormat(bytes);
  if (format === undefined) {
    throw new AppError("bad_request", "Unsupported image type", {
      hint: "Upload a JPEG, PNG, GIF or WebP image (the file's contents decide, not its name).",
    });
  }
  const picture = await reencodeImage(bytes, format, rules).catch((error: unknown) => {
    if (!(error instanceof UnreadableImage)) throw error;
    throw new AppError("bad_request", "The image could not be read", {
      hint: `Check the file is a complete, valid ${format.toUpperCase()} image.`,
      cause: error,
    });
  });
  const store = async () => ctx.media.put(picture, STORED_IMAGE_EXTENSION);
  const url = ctx.urls.media(await store());
  return { url, keep: async () => void (await store()) };
}

/** Deletes the stored picture at `url` (if it is one of ours) once nothing shows it any more. */
export async function releaseImage(ctx: ServiceContext, url: string | null): Promise<void> {
  if (url === null) return;
  const name = ctx.urls.mediaName(url);
  if (name === undefined || (await isMediaReferenced(ctx.db, url))) return;
  await ctx.media.remove(name);
}
