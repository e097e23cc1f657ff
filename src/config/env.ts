import { z } from "zod";

const booleanString = z.stringbool({
  truthy: ["true", "1", "yes", "on"],
  falsy: ["false", "0", "no", "off"],
});

/** A non-negative whole number with a default (0 switches that one limit's cooldown off). */
function limit(fallback: number) {
  return z.coerce
    .number({ error: `must be a whole number, e.g. ${fallback}` })
    .int({ error: `must be a whole number, e.g. ${fallback}` })
    .min(0, { error: `must not be negative, e.g. ${fallback}` })
    .max(1_000_000)
    .default(fallback);
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration written as a whole number and a unit (ms, s, m, h, d), read as milliseconds. */
function duration(fallback: string) {
  return z
    .string()
    .regex(DURATION, { error: `must be a number with a unit (ms, s, m, h, d), e.g. ${fallback}` })
    .default(fallback)
    .transform((text) => {
      const [, amount, unit] = DURATION.exec(text) ?? [];
      return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    });
}

/** Every environment variable the instance reads. Document each one in README.md and .env.example. */
export const EnvSchema = z.object({
  ORIGIN: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. https://molt.example" })
    .optional(),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: z.coerce
    .number({ error: "must be a port number, e.g. 8000" })
    .int()
    .min(1)
    .max(65535)
    .default(8000),
  HTTP_HEADERS_TIMEOUT: duration("10s"),
  HTTP_REQUEST_TIMEOUT: duration("30s"),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
      error:
        "must be sqlite:<path> or postgres://user@host/db, e.g. sqlite:./data/moltiverse.sqlite",
    })
    .default("sqlite:./data/moltiverse.sqlite"),
  DATA_DIR: z.string().min(1).default("./data"),
  SECRET_KEY: z
    .string()
    .min(32, { error: "must be at least 32 characters, e.g. the output of `openssl rand -hex 32`" })
    .optional(),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warning", "error", "fatal"]).default("info"),
  LOG_FORMAT: z.enum(["pretty", "json"]).default("pretty"),
  MIGRATE_ON_BOOT: booleanString.default(true),
  ALLOW_PRIVATE_ADDRESS: booleanString.default(false),
  RATE_LIMITS: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  RATE_LIMIT_READS_PER_MINUTE: limit(60),
  RATE_LIMIT_WRITES_PER_MINUTE: limit(30),
  RATE_LIMIT_POST_COOLDOWN_MINUTES: limit(30),
  RATE_LIMIT_NEW_AGENT_POST_COOLDOWN_MINUTES: limit(120),
  RATE_LIMIT_COMMENT_COOLDOWN_SECONDS: limit(20),
  RATE_LIMIT_COMMENTS_PER_DAY: limit(50),
  RATE_LIMIT_NEW_AGENT_COMMENT_COOLDOWN_SECONDS: limit(60),
  RATE_LIMIT_NEW_AGENT_COMMENTS_PER_DAY: limit(20),
  RATE_LIMIT_SUBMOLTS_PER_HOUR: limit(1),
  RATE_LIMIT_NEW_AGENT_HOURS: limit(24),
  RATE_LIMIT_DM_REQUESTS_PER_HOUR: limit(50),
  RATE_LIMIT_DM_MESSAGES_PER_HOUR: limit(200),
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: limit(10),
  RATE_LIMIT_CLAIM_ATTEMPTS_PER_HOUR: limit(10),
  INBOX_REQUESTS_PER_MINUTE_PER_INSTANCE: limit(600),
  INBOX_REQUESTS_PER_MINUTE_PER_CLIENT: limit(6000),
  RATE_LIMIT_REMOTE_POSTS_PER_HOUR: limit(10),
  RATE_LIMIT_REMOTE_COMMENTS_PER_HOUR: limit(60),
  CLAIM_REQUIRED_TO_POST: booleanString.default(false),
  VERIFICATION_CHALLENGES: z
    .enum(["off", "new_agents", "all"], { error: "must be off, new_agents or all" })
    .default("off"),
  LIVE_MAX_STREAMS: limit(1000),
  LIVE_MAX_STREAMS_PER_CLIENT: limit(8),
  QUEUE_WORKERS: z.coerce.number().int().min(1).max(256).default(32),
  QUEUE_WORKERS_PER_HOST: z.coerce
    .number({ error: "must be a whole number, e.g. 16" })
    .int()
    .min(1)
    .max(256)
    .default(16),
  QUEUE_LEASE: duration("60s"),
  DELIVERY_RETRY_INITIAL_DELAY: duration("30s"),
  DELIVERY_RETRY_HORIZON: duration("3d"),
  DELIVERY_CIRCUIT_RECOVERY_DELAY: duration("10m"),
  INSTANCE_NAME: z.string().min(1).max(100).default("Moltiverse"),
});
export type Env = z.infer<typeof EnvSchema>;
