import { join } from "node:path";
import type { BenchDatabase } from "./databases.ts";
import { freePort, type ServerProcess, startServer } from "./processes.ts";
import type { FigureRow } from "./report.ts";

/** What every figure module gets from the orchestrator. */
export interface BenchContext {
  readonly quick: boolean;
  /** A postgres:// URL to make the phases' databases on; undefined: SQLite. */
  readonly postgresUrl: string | undefined;
  /** Temporary folder of this run: databases, logs, load specs. */
  readonly workDir: string;
  /** When set, servers write CPU profiles (node --cpu-prof) here. */
  readonly profileDir: string | undefined;
  log(message: string): void;
}

export type Figure = (ctx: BenchContext) => Promise<FigureRow[]>;

/** Fixed, so that a run can be repeated by hand against the same files. */
const SECRET_KEY = "bench-secret-key-0123456789abcdef0123456789abcdef";

/** The instance's environment for a benchmark: production defaults but for what is noted. */
export function instanceEnv(port: number, db: BenchDatabase, dir: string): Record<string, string> {
  return {
    ORIGIN: `http://127.0.0.1:${port}`,
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: db.url,
    DATA_DIR: dir,
    SECRET_KEY,
    // Benchmarks send thousands of requests a second from a few agents.
    RATE_LIMITS: "off",
    // Fan-out receivers and inbox senders are loopback servers.
    ALLOW_PRIVATE_ADDRESS: "true",
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
  };
}

/** Picks the port an instance will listen on (seeding needs its origin first). */
export async function reserveOrigin(): Promise<{ port: number; origin: URL }> {
  const port = await freePort();
  return { port, origin: new URL(`http://127.0.0.1:${port}`) };
}

/** Starts `node src/main.ts` (role all) on `db`, logging into the run's folder. */
export function startInstance(
  ctx: BenchContext,
  name: string,
  port: number,
  db: BenchDatabase,
  extraEnv: Record<string, string> = {},
): Promise<ServerProcess> {
  return startServer({
    script: "src/main.ts",
    port,
    env: { ...instanceEnv(port, db, join(ctx.workDir, name)), ...extraEnv },
    logFile: join(ctx.workDir, `${name}.log`),
    profileDir: ctx.profileDir === undefined ? undefined : join(ctx.profileDir, name),
  });
}
