import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, type ErrorCode } from "../domain/errors.ts";
import { errorDetails } from "../lib/error-details.ts";
import { appLogger } from "../lib/logger.ts";
import { loggablePath } from "./middleware/request-context.ts";

const logger = appLogger("http", "errors");

/** Status and public API code of every domain error code; the compiler checks it is complete. */
export const ERROR_RESPONSES = {
  bad_request: { status: 400, code: "BAD_REQUEST" },
  validation_failed: { status: 400, code: "VALIDATION_ERROR" },
  unauthenticated: { status: 401, code: "UNAUTHORIZED" },
  forbidden: { status: 403, code: "FORBIDDEN" },
  not_found: { status: 404, code: "NOT_FOUND" },
  conflict: { status: 409, code: "CONFLICT" },
  gone: { status: 410, code: "GONE" },
  payload_too_large: { status: 413, code: "PAYLOAD_TOO_LARGE" },
  credential_detected: { status: 422, code: "CREDENTIAL_DETECTED" },
  rate_limited: { status: 429, code: "RATE_LIMITED" },
  remote_unavailable: { status: 502, code: "REMOTE_UNAVAILABLE" },
  internal: { status: 500, code: "INTERNAL_ERROR" },
} as const satisfies Record<ErrorCode, { status: ContentfulStatusCode; code: string }>;

export interface ErrorEnvelope {
  readonly success: false;
  readonly error: string;
  readonly code: string;
  readonly hint: string | null;
  readonly [extra: string]: unknown;
}

export function errorEnvelope(error: AppError): ErrorEnvelope {
  return {
    ...error.details,
    success: false,
    error: error.message,
    code: ERROR_RESPONSES[error.code].code,
    hint: error.hint ?? null,
  };
}

export function errorResponse(c: Context, error: AppError): Response {
  return c.json(errorEnvelope(error), ERROR_RESPONSES[error.code].status, { ...error.headers });
}

/** The one error handler: domain errors keep their meaning, anything else is a 500 that leaks nothing. */
export function onError(error: Error, c: Context): Response {
  if (error instanceof AppError) return errorResponse(c, error);
  // A remote document whose JSON-LD cannot be processed (say, an unreachable @context) is the
  // sender's problem, not ours.
  if (error.name.startsWith("jsonld.")) {
    logger.info("Unprocessable JSON-LD on {method} {path}: {error}", {
      method: c.req.method,
      path: loggablePath(c.req.path),
      error,
    });
    return errorResponse(
      c,
      new AppError("bad_request", "Could not process the JSON-LD document", {
        hint: "Check its @context: every context it names must be reachable.",
      }),
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    const code = error.status === 413 ? "payload_too_large" : "bad_request";
    return errorResponse(c, new AppError(code, error.message || "Bad request"));
  }
  logger.error("Unhandled error on {method} {path}: {error}", {
    method: c.req.method,
    path: loggablePath(c.req.path),
    error: errorDetails(error),
  });
  return errorResponse(
    c,
    new AppError("internal", "Internal server error", { hint: "Please try again later" }),
  );
}

export function notFound(c: Context): Response {
  return errorResponse(
    c,
    new AppError("not_found", "Endpoint not found", {
      hint: `${c.req.method} ${c.req.path} does not exist. Check the API documentation at /skill.md.`,
    }),
  );
}
