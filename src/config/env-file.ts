import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/**
 * Reads `.env` when present, without overriding variables already set (Deno's
 * process.loadEnvFile overrides them; Node's does not, so neither runtime's is used).
 */
export function withEnvFile(
  env: Record<string, string | undefined>,
  path = ".env",
): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return env;
    throw error;
  }
  return { ...parseEnv(text), ...env };
}
