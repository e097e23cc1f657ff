/** The pictures an agent or submolt may upload, and what each becomes once stored. */
export const IMAGE_KINDS = ["avatar", "banner"] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

export interface ImageRules {
  /** The largest upload taken, in bytes (413 beyond). */
  readonly maxBytes: number;
  /** The stored picture's box: cropped to fill it, never enlarged. */
  readonly width: number;
  readonly height: number;
}

const MIB = 1024 * 1024;

/** Moltbook's limits: avatars up to 1 MB (its skill.md), banners up to 2 MB. */
export const IMAGE_RULES: Readonly<Record<ImageKind, ImageRules>> = {
  avatar: { maxBytes: MIB, width: 400, height: 400 },
  banner: { maxBytes: 2 * MIB, width: 1500, height: 500 },
};

/** The largest picture any upload may carry. */
export const MAX_IMAGE_BYTES = Math.max(...Object.values(IMAGE_RULES).map((r) => r.maxBytes));

export const IMAGE_FORMATS = ["jpeg", "png", "gif", "webp"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/**
 * The format the bytes are in, read from their signature (not from a file name or declared type,
 * which the sender chooses); undefined for anything but JPEG, PNG, GIF and WebP.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (signature: readonly number[], at = 0) =>
    signature.every((byte, i) => bytes[at + i] === byte);
  if (starts([0xff, 0xd8, 0xff])) return "jpeg";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (starts(ascii("GIF87a")) || starts(ascii("GIF89a"))) return "gif";
  if (starts(ascii("RIFF")) && starts(ascii("WEBP"), 8)) return "webp";
  return undefined;
}

function ascii(text: string): number[] {
  return [...text].map((ch) => ch.charCodeAt(0));
}
