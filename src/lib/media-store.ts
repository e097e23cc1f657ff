import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** A stored file's name: the SHA-256 of its bytes and its extension. */
const MEDIA_NAME = /^[0-9a-f]{64}\.[a-z0-9]{2,5}$/;

export function isMediaName(name: string): boolean {
  return MEDIA_NAME.test(name);
}

/**
 * Files kept by content hash under one directory (`ab/abcdef….webp`): the same bytes are stored
 * once, and a name never changes meaning, so it may be cached forever.
 */
export interface MediaStore {
  /** Stores the bytes (or finds them stored) and returns their name. */
  put(bytes: Uint8Array, extension: string): Promise<string>;
  /** The bytes of a stored file; undefined if there is none by that name. */
  read(name: string): Promise<Uint8Array | undefined>;
  remove(name: string): Promise<void>;
}

export function createMediaStore(directory: string): MediaStore {
  const pathOf = (name: string) => join(directory, name.slice(0, 2), name);
  return {
    async put(bytes, extension) {
      const name = `${createHash("sha256").update(bytes).digest("hex")}.${extension}`;
      const path = pathOf(name);
      if (await exists(path)) return name;
      await mkdir(dirname(path), { recursive: true });
      // Written aside, then renamed: a reader never sees half a file.
      const partial = `${path}.${randomUUID()}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, path);
      return name;
    },
    async read(name) {
      if (!isMediaName(name)) return undefined;
      try {
        return new Uint8Array(await readFile(pathOf(name)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async remove(name) {
      if (isMediaName(name)) await rm(pathOf(name), { force: true });
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
