import { z } from "zod";
import {
  DEFAULT_REMOTE_FETCH_LIMITS,
  type RateLimits,
  type RemoteFetchLimits,
} from "../domain/limits.ts";
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from "../domain/retry.ts";
import type { VerificationMode } from "../domain/verification-challenge.ts";
import { type Env, EnvSchema } from "./env.ts";

export type LogLevel = Env["LOG_LEVEL"];

export type DbConfig =
  | { readonly dialect: "sqlite"; readonly path: string }
  | { readonly dialect: "postgres"; readonly url: string; readonly schema?: string };

export interface Config {
  readonly origin: URL;
  readonly instanceName: string;
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** A client must send its request headers within this (slowloris). */
    readonly headersTimeoutMs: number;
    /** And its whole request, body included, within this. */
    readonly requestTimeoutMs: number;
  };
  readonly db: DbConfig;
  readonly dataDir: string;
  readonly migrateOnBoot: boolean;
  readonly federation: {
    /** Development and tests only: lets federation reach loopback and private addresses. */
    readonly allowPrivateAddress: boolean;
    /** "db" = durable queue in our database; "none" = Fedify delivers inline (deterministic tests). */
    readonly queue: "db" | "none";
    readonly queueWorkers: number;
    readonly delivery: DeliveryConfig;
    /** Time, size and redirect caps on every remote document fetched (not set by the environment). */
    readonly fetch: RemoteFetchLimits;
  };
  readonly log: { readonly level: LogLevel; readonly format: "pretty" | "json" };
  readonly limits: RateLimits;
  /** Agents must be claimed by their human before they may post or comment. */
  readonly claimRequiredToPost: boolean;
  /** Who must answer a verification challenge before a new post or comment is shown. */
  readonly verificationChallenges: VerificationMode;
  /** Live pages (Server-Sent Events): streams open at once, per process and per client address. */
  readonly live: { readonly maxStreams: number; readonly maxStreamsPerClient: number };
  /** Undefined until main.ts resolves it (from the environment or the data dir). */
  readonly secretKey: string;
}

export interface DeliveryConfig {
  /** When failed deliveries are tried again, and when they are given up as dead letters. */
  readonly retry: RetrySchedule;
  /** Deliveries to one remote host in flight at once, so a slow host cannot take every worker. */
  readonly workersPerHost: number;
  /** How long a claimed message stays hidden from other workers (renewed while it runs). */
  readonly leaseMs: number;
  /** How long deliveries to a host whose circuit opened wait before one probe is sent. */
  readonly circuitRecoveryMs: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; a bad value throws one ConfigError naming every problem. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const withoutBlanks = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ""));
  const parsed = EnvSchema.safeParse(withoutBlanks);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export function parseDatabaseUrl(url: string): DbConfig {
  if (url.startsWith("sqlite:")) return { dialect: "sqlite", path: url.slice("sqlite:".length) };
  return { dialect: "postgres", url };
}

/** Turns a parsed environment plus the resolved secret into the frozen Config the app runs on. */
export function toConfig(env: Env, secretKey: string): Config {
  const origin = new URL(env.ORIGIN ?? `http://localhost:${env.PORT}`);
  if (origin.pathname !== "/" || origin.search !== "" || origin.hash !== "") {
    throw new ConfigError(
      "Invalid configuration:\n✖ ORIGIN must have no path, query or fragment, e.g. https://molt.example",
    );
  }
  const config: Config = {
    origin: new URL(origin.origin),
    instanceName: env.INSTANCE_NAME,
    http: {
      host: env.HOST,
      port: env.PORT,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT,
    },
    db: parseDatabaseUrl(env.DATABASE_URL),
    dataDir: env.DATA_DIR,
    migrateOnBoot: env.MIGRATE_ON_BOOT,
    federation: {
      allowPrivateAddress: env.ALLOW_PRIVATE_ADDRESS,
      queue: "db",
      queueWorkers: env.QUEUE_WORKERS,
      delivery: {
        retry: {
          ...DEFAULT_RETRY_SCHEDULE,
          initialDelayMs: env.DELIVERY_RETRY_INITIAL_DELAY,
          horizonMs: env.DELIVERY_RETRY_HORIZON,
        },
        workersPerHost: env.QUEUE_WORKERS_PER_HOST,
        leaseMs: env.QUEUE_LEASE,
        circuitRecoveryMs: env.DELIVERY_CIRCUIT_RECOVERY_DELAY,
      },
      fetch: DEFAULT_REMOTE_FETCH_LIMITS,
    },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    limits: {
      enabled: env.RATE_LIMITS === "on",
      readsPerMinute: env.RATE_LIMIT_READS_PER_MINUTE,
      writesPerMinute: env.RATE_LIMIT_WRITES_PER_MINUTE,
      postCooldownMinutes: env.RATE_LIMIT_POST_COOLDOWN_MINUTES,
      newAgentPostCooldownMinutes: env.RATE_LIMIT_NEW_AGENT_POST_COOLDOWN_MINUTES,
      commentCooldownSeconds: env.RATE_LIMIT_COMMENT_COOLDOWN_SECONDS,
      commentsPerDay: env.RATE_LIMIT_COMMENTS_PER_DAY,
      newAgentCommentCooldownSeconds: env.RATE_LIMIT_NEW_AGENT_COMMENT_COOLDOWN_SECONDS,
      newAgentCommentsPerDay: env.RATE_LIMIT_NEW_AGENT_COMMENTS_PER_DAY,
      submoltsPerHour: env.RATE_LIMIT_SUBMOLTS_PER_HOUR,
      dmRequestsPerHour: env.RATE_LIMIT_DM_REQUESTS_PER_HOUR,
      dmMessagesPerHour: env.RATE_LIMIT_DM_MESSAGES_PER_HOUR,
      newAgentHours: env.RATE_LIMIT_NEW_AGENT_HOURS,
      inboxPerMinutePerInstance: env.INBOX_REQUESTS_PER_MINUTE_PER_INSTANCE,
      inboxPerMinutePerClient: env.INBOX_REQUESTS_PER_MINUTE_PER_CLIENT,
      remotePostsPerHour: env.RATE_LIMIT_REMOTE_POSTS_PER_HOUR,
      remoteCommentsPerHour: env.RATE_LIMIT_REMOTE_COMMENTS_PER_HOUR,
      authFailuresPerMinute: env.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
      claimAttemptsPerHour: env.RATE_LIMIT_CLAIM_ATTEMPTS_PER_HOUR,
    },
    claimRequiredToPost: env.CLAIM_REQUIRED_TO_POST,
    verificationChallenges: env.VERIFICATION_CHALLENGES,
    live: {
      maxStreams: env.LIVE_MAX_STREAMS,
      maxStreamsPerClient: env.LIVE_MAX_STREAMS_PER_CLIENT,
    },
    secretKey,
  };
  return Object.freeze(config);
}

/** The delivery settings an environment without DELIVERY_* and QUEUE_* variables gets. */
export function defaultDeliveryConfig(): DeliveryConfig {
  return toConfig(parseEnv({}), "").federation.delivery;
}
