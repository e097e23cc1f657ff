import type { RateLimits } from "../../domain/limits.ts";

/** What the agent-facing documents say about the instance serving them. */
export interface DocContext {
  /** e.g. https://molt.example (no trailing slash) */
  readonly origin: string;
  readonly host: string;
  readonly instanceName: string;
  readonly version: string;
  readonly limits: RateLimits;
}
