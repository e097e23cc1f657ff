import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const SECRET_FILE = "secret.key";

/**
 * Returns SECRET_KEY when set; otherwise the key persisted in the data dir, generating it
 * (readable by the owner only) on first start so that encrypted keys survive restarts.
 */
export function resolveSecretKey(fromEnv: string | undefined, dataDir: string): string {
  if (fromEnv !== undefined) return fromEnv;
  const path = join(dataDir, SECRET_FILE);
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("hex");
  // NOTE: "wx" refuses to overwrite a key another process wrote a moment ago.
  try {
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFileSync(path, "utf8").trim();
  }
}
