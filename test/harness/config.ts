import {
  type Config,
  type DbConfig,
  type DeliveryConfig,
  defaultDeliveryConfig,
} from "../../src/config/config.ts";
import {
  DEFAULT_RATE_LIMITS,
  DEFAULT_REMOTE_FETCH_LIMITS,
  type RateLimits,
  type RemoteFetchLimits,
} from "../../src/domain/limits.ts";
import type { VerificationMode } from "../../src/domain/verification-challenge.ts";

/** A Config for tests: loopback-friendly federation, inline delivery unless a queue is asked for. */
export function testConfig(options: {
  origin?: string;
  db: DbConfig;
  /** Where uploads are kept; nowhere unless a test gives a directory. */
  dataDir?: string;
  queue?: "db" | "none";
  /** Off unless a test asks: most suites post faster than any agent may. */
  limits?: Partial<RateLimits>;
  delivery?: Partial<DeliveryConfig>;
  /** On unless a test asks: in-process origins like https://alpha.test resolve nowhere. */
  allowPrivateAddress?: boolean;
  fetch?: Partial<RemoteFetchLimits>;
  claimRequiredToPost?: boolean;
  verificationChallenges?: VerificationMode;
  live?: Partial<Config["live"]>;
}): Config {
  return {
    origin: new URL(options.origin ?? "https://alpha.test"),
    instanceName: "Test instance",
    http: { host: "127.0.0.1", port: 0, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
    db: options.db,
    dataDir: options.dataDir ?? "/nonexistent",
    migrateOnBoot: true,
    federation: {
      allowPrivateAddress: options.allowPrivateAddress ?? true,
      queue: options.queue ?? "none",
      queueWorkers: 4,
      delivery: { ...defaultDeliveryConfig(), ...options.delivery },
      fetch: { ...DEFAULT_REMOTE_FETCH_LIMITS, ...options.fetch },
    },
    log: { level: "warning", format: "pretty" },
    limits: { ...DEFAULT_RATE_LIMITS, enabled: false, ...options.limits },
    claimRequiredToPost: options.claimRequiredToPost ?? false,
    verificationChallenges: options.verificationChallenges ?? "off",
    live: { maxStreams: 1000, maxStreamsPerClient: 8, ...options.live },
    secretKey: "test-secret-key-0123456789abcdef-0123456789",
  };
}
