// An Error's message, stack and cause are not own enumerable properties, so a log record that
// carries the Error itself prints as {} in JSON (and in the test logs). Logs of unexpected
// errors carry this plain description instead.

export interface ErrorDetails {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** A driver's error code (PostgreSQL SQLSTATE, SQLITE_CONSTRAINT_UNIQUE, ECONNRESET…). */
  readonly code?: string | number;
  /** The constraint a database refused on, never the values that broke it (they may be secret). */
  readonly constraint?: string;
  readonly table?: string;
  readonly cause?: ErrorDetails;
  /** The errors inside an AggregateError. */
  readonly errors?: readonly ErrorDetails[];
}

const MAX_DEPTH = 5;
const MAX_AGGREGATED = 10;

/** A JSON-safe description of anything thrown: name, message, stack, code, then the cause chain. */
export function errorDetails(error: unknown, depth = 0): ErrorDetails {
  if (!(error instanceof Error)) return { name: typeof error, message: describeValue(error) };
  const own = error as Error & Record<string, unknown>;
  const nested = depth < MAX_DEPTH;
  return {
    name: error.name,
    message: error.message,
    ...(error.stack !== undefined && { stack: error.stack }),
    ...(isCode(own.code) && { code: own.code }),
    ...(typeof own.constraint === "string" && { constraint: own.constraint }),
    ...(typeof own.table === "string" && { table: own.table }),
    ...(nested && error.cause !== undefined && { cause: errorDetails(error.cause, depth + 1) }),
    ...(nested &&
      error instanceof AggregateError && {
        errors: error.errors.slice(0, MAX_AGGREGATED).map((e) => errorDetails(e, depth + 1)),
      }),
  };
}

function isCode(code: unknown): code is string | number {
  return typeof code === "string" || typeof code === "number";
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
