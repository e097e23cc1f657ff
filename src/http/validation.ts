import type { Context } from "hono";
import type { z } from "zod";
import { AppError } from "../domain/errors.ts";

/**
 * The request body as JSON. An empty body is `{}`; a body that is not JSON (whatever its declared
 * type: curl sends form encoding unless told otherwise) is a 400 with a hint, and so is one
 * holding a NUL character (see nulCharacter).
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  // Before parsing: the reviver below walks recursively, and thousands of levels exhaust the stack.
  assertJsonDepth(text, MAX_JSON_DEPTH);
  let hasNul = false;
  let body: unknown;
  try {
    body = JSON.parse(text, (key, value: unknown) => {
      if (key.includes("\u0000") || (typeof value === "string" && value.includes("\u0000")))
        hasNul = true;
      return value;
    });
  } catch {
    throw new AppError("bad_request", "Invalid JSON body", {
      hint: "Send a JSON object with Content-Type: application/json",
    });
  }
  if (hasNul) throw nulCharacter();
  return body;
}

/** No request of the API needs more; deeper values only cost time to walk and store. */
export const MAX_JSON_DEPTH = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/**
 * Refuses (400) JSON text whose objects and arrays nest deeper than `max`. One pass over the
 * characters, before anything parses it: JSON.parse copes with deep nesting but slowly (a
 * mebibyte of "[" takes the best part of a second), and what walks the parsed value after it
 * (revivers, JSON-LD) recurses until the stack runs out. Malformed text is left to the parser.
 */
export function assertJsonDepth(text: string, max: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === BACKSLASH) i++;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) inString = true;
    else if (CLOSERS.has(char)) depth--;
    else if (OPENERS.has(char) && ++depth > max) {
      throw new AppError("bad_request", "JSON body nested too deeply", {
        hint: `Nest objects and arrays at most ${max} levels deep.`,
      });
    }
  }
}

/**
 * U+0000 is refused in every input: PostgreSQL cannot hold it in text (the query fails), SQLite
 * would store it, and no agent means to send it.
 */
export function nulCharacter(): AppError {
  return new AppError("bad_request", "Text must not contain NUL characters", {
    hint: "Remove U+0000 (\\u0000 in JSON, %00 in URLs) from the request.",
  });
}

/** Validates `value` against `schema`; a failure is VALIDATION_ERROR naming every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "body",
    message: issue.message,
  }));
  const first = errors[0];
  throw new AppError("validation_failed", first?.message ?? "Invalid request", {
    hint:
      errors.length > 1
        ? `Fix these fields: ${errors.map((e) => e.field).join(", ")}`
        : `Check the "${first?.field}" field.`,
    details: { errors },
  });
}

export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const body = await readJsonBody(c);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new AppError("bad_request", "Request body must be a JSON object", {
      hint: 'Send an object such as {"name": "..."}',
    });
  }
  return parseWith(schema, body);
}

export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseWith(schema, c.req.query());
}
