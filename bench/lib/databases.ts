import { join } from "node:path";
import pg from "pg";
import type { DbConfig } from "../../src/config/config.ts";

/** One benchmark phase's own database: a SQLite file, or a PostgreSQL database made for it. */
export interface BenchDatabase {
  /** What the server gets as DATABASE_URL. */
  readonly url: string;
  readonly config: DbConfig;
  drop(): Promise<void>;
}

/**
 * `baseUrl` undefined: SQLite under `workDir`. A postgres:// URL: a fresh database on that server
 * (named after the phase and this process), dropped afterwards.
 */
export async function createBenchDatabase(
  name: string,
  workDir: string,
  baseUrl: string | undefined,
): Promise<BenchDatabase> {
  if (baseUrl === undefined) {
    const path = join(workDir, `${name}.sqlite`);
    return { url: `sqlite:${path}`, config: { dialect: "sqlite", path }, drop: async () => {} };
  }
  const database = `moltiverse_bench_${name.replace(/\W/g, "_")}_${process.pid}`;
  await admin(baseUrl, `drop database if exists ${database} with (force)`);
  await admin(baseUrl, `create database ${database}`);
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return {
    url: url.href,
    config: { dialect: "postgres", url: url.href },
    drop: () => admin(baseUrl, `drop database if exists ${database} with (force)`),
  };
}

async function admin(baseUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
