/** Pixels an uploaded picture may decode to: bounds the memory a small "decompression bomb" takes. */
const MAX_INPUT_PIXELS = 40_000_000;

export const STORED_IMAGE_TYPE = "image/webp";
export const STORED_IMAGE_EXTENSION = "webp";

/** Thrown when the bytes do not decode as a picture (corrupt, truncated, too many pixels). */
export class UnreadableImage extends Error {
  override name = "UnreadableImage";
}

// NOTE: sharp (libvips) is loaded on the first upload, so that a platform without its prebuilt
// binary still runs everything else.
let sharpModule: Promise<typeof import("sharp")> | undefined;

/**
 * The picture decoded and drawn anew as WebP: turned upright, cropped to fill `box` (never
 * enlarged), first frame only. Nothing of the uploaded file survives but its pixels: no EXIF
 * (camera, GPS), no comments, no bytes appended after the image (the HTML or ZIP of a polyglot).
 * `format` is what the bytes' signature says (sharp's name for it); a decoder that reads them as
 * anything else is not trusted.
 */
export async function reencodeImage(
  bytes: Uint8Array,
  format: string,
  box: { readonly width: number; readonly height: number },
): Promise<Uint8Array> {
  sharpModule ??= import("sharp");
  const { default: sharp } = await sharpModule;
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS });
    const { format: decodedAs } = await image.metadata();
    if (decodedAs !== format) throw new Error(`Decoded as ${decodedAs}, not ${format}`);
    const output = await image
      .rotate()
      .resize({ width: box.width, height: box.height, fit: "cover", withoutEnlargement: true })
      .webp({ quality: 85 })
      .toBuffer();
    return new Uint8Array(output.buffer, output.byteOffset, output.byteLength);
  } catch (error) {
    throw new UnreadableImage("The image could not be decoded", { cause: error });
  }
}
