import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, type AppOverrides, createApp } from "../../src/app.ts";
import type { DeliveryConfig } from "../../src/config/config.ts";
import type { Dialect } from "../../src/db/connect.ts";
import type { RateLimits, RemoteFetchLimits } from "../../src/domain/limits.ts";
import type { VerificationMode } from "../../src/domain/verification-challenge.ts";
import { testConfig } from "./config.ts";
import { createTestDbPlace } from "./db.ts";

export interface TestInstance extends App {
  /** Sends a request to the instance as a client would (path relative to its origin). */
  request(path: string, init?: RequestInit): Promise<Response>;
}

export interface StartOptions {
  dialect: Dialect;
  origin?: string;
  queue?: "db" | "none";
  limits?: Partial<RateLimits>;
  delivery?: Partial<DeliveryConfig>;
  allowPrivateAddress?: boolean;
  fetch?: Partial<RemoteFetchLimits>;
  claimRequiredToPost?: boolean;
  verificationChallenges?: VerificationMode;
  overrides?: AppOverrides;
}

/** Starts one instance on its own temp database. Dispose with `await using`. */
export async function startInstance(options: StartOptions): Promise<TestInstance> {
  const place = await createTestDbPlace(options.dialect);
  const dataDir = mkdtempSync(join(tmpdir(), "moltiverse-data-"));
  const config = testConfig({ ...options, db: place.config, dataDir });
  const app = await createApp(config, options.overrides);
  const close = async () => {
    await app.close();
    await place.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    ...app,
    request: (path, init) => app.fetch(new Request(new URL(path, config.origin), init)),
    close,
    [Symbol.asyncDispose]: close,
  };
}
