/** The closed list of failure kinds; http/errors.ts maps each to a status and an API code. */
export const ERROR_CODES = [
  "bad_request",
  "validation_failed",
  "unauthenticated",
  "forbidden",
  "not_found",
  "conflict",
  "gone",
  "payload_too_large",
  "credential_detected",
  "rate_limited",
  "remote_unavailable",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorOptions {
  /** What the caller can do about it; shown as the envelope's `hint`. */
  readonly hint?: string;
  /** Extra fields merged into the error envelope (e.g. `errors`, `retry_after_seconds`). */
  readonly details?: Record<string, unknown>;
  /** Response headers that belong with this error (e.g. Retry-After on a 429). */
  readonly headers?: Record<string, string>;
  readonly cause?: unknown;
}

export class AppError extends Error {
  override name = "AppError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.headers = options.headers;
  }
}
