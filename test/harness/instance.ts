import { type App, type AppOverrides, createApp } from "../../src/app.ts";
import type { DeliveryConfig } from "../../src/config/config.ts";
import type { Dialect } from "../../src/db/connect.ts";
import type { RateLimits } from "../../src/domain/limits.ts";
import { testConfig } from "./config.ts";
import { createTestDbPlace } from "./db.ts";

export interface TestInstance extends App {
  /** Sends a request to the instance as a client would (path relative to its origin). */
  request(path: string, init?: RequestInit): Promise<Response>;
}

/** Starts one instance on its own temp database. Dispose with `await using`. */
export async function startInstance(options: {
  dialect: Dialect;
  origin?: string;
  queue?: "db" | "none";
  limits?: Partial<RateLimits>;
  delivery?: Partial<DeliveryConfig>;
  allowPrivateAddress?: boolean;
  overrides?: AppOverrides;
}): Promise<TestInstance> {
  const place = await createTestDbPlace(options.dialect);
  const config = testConfig({
    db: place.config,
    ...(options.origin === undefined ? {} : { origin: options.origin }),
    ...(options.queue === undefined ? {} : { queue: options.queue }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.delivery === undefined ? {} : { delivery: options.delivery }),
    ...(options.allowPrivateAddress === undefined
      ? {}
      : { allowPrivateAddress: options.allowPrivateAddress }),
  });
  const app = await createApp(config, options.overrides);
  const close = async () => {
    await app.close();
    await place.destroy();
  };
  return {
    ...app,
    request: (path, init) => app.fetch(new Request(new URL(path, config.origin), init)),
    close,
    [Symbol.asyncDispose]: close,
  };
}
