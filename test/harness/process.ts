import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/** An instance running as its own `node src/main.ts` process on a loopback port. */
export interface InstanceProcess {
  /** The instance's public origin (its ORIGIN). */
  readonly origin: string;
  /** Where this process itself listens (differs from `origin` for a second web process). */
  readonly url: string;
  /** Its data directory (and SQLite file, unless DATABASE_URL names another database). */
  readonly dir: string;
  /** Everything it printed, across restarts. */
  readonly output: () => string;
  /**
   * Resolves when the process has logged a line matching `pattern` (now or later): an event to
   * wait for, not a poll. Rejects if the process exits first or after `timeoutMs`.
   */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Freezes the process (SIGSTOP): connections to it are accepted by the kernel, never answered. */
  pause(): void;
  /** Lets a paused process run on (SIGCONT). */
  resume(): void;
  /** Starts it again after it stopped: same port, origin, database and data directory. */
  restart(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface InstanceProcessOptions {
  /** Extra command-line arguments (`--role web`). */
  readonly args?: readonly string[];
  /** ORIGIN, when this process is one of several serving one instance. */
  readonly origin?: string;
  /** Shares another process's data directory (and so its SQLite file and secret key). */
  readonly dir?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(),
      );
    });
  });
}

const WORKER_READY = "Moltiverse worker started";

/**
 * Starts an instance with its own SQLite file (unless `env` names a DATABASE_URL) and waits
 * until it is ready: answering health, or for a worker-only process, saying it started.
 */
export async function startInstanceProcess(
  env: Record<string, string> = {},
  options: InstanceProcessOptions = {},
): Promise<InstanceProcess> {
  const port = await freePort();
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "moltiverse-proc-"));
  const url = `http://127.0.0.1:${port}`;
  const origin = options.origin ?? url;
  const workerOnly = (options.args ?? []).join(" ").includes("worker");
  let output = "";
  const watchers = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const watcher of watchers) watcher();
  };
  let child: ChildProcess | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);

  const launch = async () => {
    const started = output.length;
    child = spawn(
      process.execPath,
      [new URL("../../src/main.ts", import.meta.url).pathname, ...(options.args ?? [])],
      {
        env: {
          ...process.env,
          PORT: String(port),
          HOST: "127.0.0.1",
          ORIGIN: origin,
          DATABASE_URL: `sqlite:${join(dir, "db.sqlite")}`,
          DATA_DIR: dir,
          ALLOW_PRIVATE_ADDRESS: "true",
          LOG_LEVEL: "info",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const running = child;
    running.stdout?.on("data", append);
    running.stderr?.on("data", append);
    exited = new Promise((resolve) => running.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ready = workerOnly
        ? output.slice(started).includes(WORKER_READY)
        : await fetch(`${url}/api/v1/health`).then(
            (r) => r.ok,
            () => false,
          );
      if (ready) return;
      if (running.exitCode !== null || Date.now() > deadline) {
        await stop("SIGKILL");
        throw new Error(`Instance did not start:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGCONT"); // a paused process could not act on the signal
      child.kill(signal);
    }
    return exited;
  };
  await launch();
  const waitForLog = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<string>((resolve, reject) => {
      const running = child;
      const done = () => {
        watchers.delete(check);
        clearTimeout(timer);
        running?.off("exit", exit);
      };
      const check = () => {
        const line = output.split("\n").find((l) => pattern.test(l));
        if (line === undefined) return;
        done();
        resolve(line);
      };
      const exit = () => {
        done();
        reject(new Error(`Instance exited before logging ${pattern}:\n${output}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`Instance did not log ${pattern} within ${timeoutMs} ms:\n${output}`));
      }, timeoutMs);
      watchers.add(check);
      running?.on("exit", exit);
      check();
    });
  return {
    origin,
    url,
    dir,
    output: () => output,
    waitForLog,
    stop,
    pause: () => void child?.kill("SIGSTOP"),
    resume: () => void child?.kill("SIGCONT"),
    restart: launch,
    async [Symbol.asyncDispose]() {
      await stop();
      if (ownsDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What `npm run cli -- <args>` prints, run as its own process with `env` (DATABASE_URL, …). */
export async function runCliProcess(
  env: Record<string, string>,
  ...args: string[]
): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [new URL("../../src/cli/main.ts", import.meta.url).pathname, ...args],
    { env: { ...process.env, ...env } },
  );
  return stdout;
}

/** The environment that points the CLI at a process's own SQLite database. */
export function sqliteEnvOf(instance: InstanceProcess): Record<string, string> {
  return { DATABASE_URL: `sqlite:${join(instance.dir, "db.sqlite")}`, DATA_DIR: instance.dir };
}
