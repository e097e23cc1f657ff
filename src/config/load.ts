import { type Config, parseEnv, toConfig } from "./config.ts";
import type { Env } from "./env.ts";
import { withEnvFile } from "./env-file.ts";
import { resolveSecretKey } from "./secret.ts";

/** Environment (plus `.env`) → validated Config, with the secret key resolved. For entry points only. */
export function loadConfig(processEnv: Record<string, string | undefined>): {
  env: Env;
  config: Config;
} {
  const env = parseEnv(withEnvFile(processEnv));
  return { env, config: toConfig(env, resolveSecretKey(env.SECRET_KEY, env.DATA_DIR)) };
}
