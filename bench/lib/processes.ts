import { type ChildProcess, fork, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import process from "node:process";
import type { LoadResult, LoadSpec } from "../load.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(),
      );
    });
  });
}

/** A server under test: its own Node process listening on a loopback port. */
export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Resident set size now, in MiB, from /proc (nothing is added to the server to report it). */
  rssMiB(): number;
  /** CPU time used so far (user + system), in ms, from /proc. */
  cpuMs(): number;
  /** SIGTERM, then waits for the exit (a --cpu-prof profile is written then). */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** The script to run, relative to the repository (src/main.ts, bench/baseline-server.ts). */
  readonly script: string;
  readonly port: number;
  readonly env: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  /** Where its stdout and stderr go (the log is kept for when something goes wrong). */
  readonly logFile: string;
  /** Write a CPU profile into this folder on exit (node --cpu-prof). */
  readonly profileDir?: string | undefined;
}

export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const log = openSync(options.logFile, "a");
  const nodeArgs =
    options.profileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`];
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(ROOT, options.script), ...(options.args ?? [])],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
      stdio: ["ignore", log, log],
    },
  );
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;
  await waitUntilUp(url, child, options.logFile);
  return {
    url,
    port: options.port,
    pid: child.pid ?? 0,
    rssMiB: () => rssMiB(child.pid ?? 0),
    cpuMs: () => cpuMs(child.pid ?? 0),
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function waitUntilUp(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`${url}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${url} did not start:\n${readFileSync(logFile, "utf8").slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

/** A process's user + system CPU time in ms, from /proc/PID/stat (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Runs bench/load.ts in its own process and returns what it measured. */
export function runLoadProcess(spec: LoadSpec, workDir: string): Promise<LoadResult> {
  return runScript<LoadResult>("bench/load.ts", spec, workDir);
}

/** Runs `script <spec.json>` in its own process and parses the JSON line it prints. */
export async function runScript<T>(script: string, spec: unknown, workDir: string): Promise<T> {
  const specFile = join(workDir, `spec-${process.hrtime.bigint()}.json`);
  writeFileSync(specFile, JSON.stringify(spec));
  const child = spawn(process.execPath, [join(ROOT, script), specFile], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(out) as T;
}

/** A helper process of the benchmark (receivers, senders) that talks over IPC. */
export interface Helper {
  request<T>(message: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Forks `script` (relative to the repository); it answers each message `{ id, ... }` with
 * `{ id, result }` or `{ id, error }`, and says `{ ready: true, ... }` first.
 */
export async function startHelper(
  script: string,
  args: readonly string[] = [],
): Promise<{ helper: Helper; ready: Record<string, unknown> }> {
  const child = fork(join(ROOT, script), [...args], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
    child.on("message", (message: Record<string, unknown>) => {
      if (message.ready === true) return resolve(message);
      const pending = waiting.get(message.id as number);
      if (pending === undefined) return;
      waiting.delete(message.id as number);
      if (message.error !== undefined) pending.reject(new Error(String(message.error)));
      else pending.resolve(message.result);
    });
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const helper: Helper = {
    request<T>(message: Record<string, unknown>) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ ...message, id });
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
  return { helper, ready: await ready };
}
