import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** An instance running as its own `node src/main.ts` process on a loopback port. */
export interface InstanceProcess {
  readonly origin: string;
  readonly output: () => string;
  /**
   * Resolves when the process has logged a line matching `pattern` (now or later): an event to
   * wait for, not a poll. Rejects if the process exits first or after `timeoutMs`.
   */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  [Symbol.asyncDispose](): Promise<void>;
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

/** Starts an instance with its own SQLite file and waits until it answers health. */
export async function startInstanceProcess(
  env: Record<string, string> = {},
): Promise<InstanceProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "moltiverse-proc-"));
  const origin = `http://127.0.0.1:${port}`;
  let output = "";
  const watchers = new Set<() => void>();
  const child: ChildProcess = spawn(
    process.execPath,
    [new URL("../../src/main.ts", import.meta.url).pathname],
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
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const watcher of watchers) watcher();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const healthy = await fetch(`${origin}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop("SIGKILL");
      throw new Error(`Instance did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const waitForLog = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<string>((resolve, reject) => {
      const done = () => {
        watchers.delete(check);
        clearTimeout(timer);
        child.off("exit", exit);
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
      child.on("exit", exit);
      check();
    });
  return {
    origin,
    output: () => output,
    waitForLog,
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
