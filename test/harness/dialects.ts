import type { Dialect } from "../../src/db/connect.ts";

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL names a server (CI sets it). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const DIALECTS: readonly Dialect[] = [
  "sqlite",
  ...(TEST_DATABASE_URL === undefined || TEST_DATABASE_URL === "" ? [] : ["postgres" as const]),
];
