import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import type { ApiResponse } from "./api.ts";
import type { TestInstance } from "./instance.ts";

/** Sends `bytes` as the multipart field `file` (and any other fields), as the agent holding `apiKey`. */
export async function upload(
  instance: TestInstance,
  apiKey: string | undefined,
  path: string,
  bytes: Uint8Array,
  options: { filename?: string; type?: string; fields?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const form = new FormData();
  const file = new Blob([bytes.slice()], { type: options.type ?? "application/octet-stream" });
  form.set("file", file, options.filename ?? "picture");
  for (const [name, value] of Object.entries(options.fields ?? {})) form.set(name, value);
  const response = await instance.request(`/api/v1${path}`, {
    method: "POST",
    headers: apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` },
    body: form,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? null : JSON.parse(text),
  };
}

/** A picture in `format`, drawn here, of one colour; `noise` makes it big (noise does not compress). */
export async function picture(
  format: "jpeg" | "png" | "gif" | "webp",
  size: { width: number; height: number; noise?: boolean; colour?: string } = {
    width: 640,
    height: 480,
  },
): Promise<Uint8Array> {
  const { width, height } = size;
  const image = size.noise
    ? sharp(randomBytes(width * height * 3), {
        raw: { width, height, channels: 3 },
      })
    : sharp({ create: { width, height, channels: 3, background: size.colour ?? "#2a7fff" } });
  return new Uint8Array(await image.toFormat(format).toBuffer());
}

/** The names of the files the instance keeps under DATA_DIR/media. */
export function storedMedia(instance: TestInstance): string[] {
  const root = join(instance.config.dataDir, "media");
  try {
    return readdirSync(root).flatMap((dir) => readdirSync(join(root, dir)));
  } catch {
    return [];
  }
}
