import { runCli } from "../../src/cli/main.ts";
import type { Output } from "../../src/cli/output.ts";
import { READ_CACHE_MS } from "../../src/services/context.ts";
import { testConfig } from "./config.ts";
import type { TestInstance } from "./instance.ts";

/** An Output that keeps what a command printed. */
export function recorder(): Output & { text: () => string } {
  const lines: string[] = [];
  return { line: (text = "") => void lines.push(text), text: () => lines.join("\n") };
}

/**
 * Runs an operator command (`npm run cli -- <args>`) against a running test instance's database,
 * as the operator would from another process; returns what it printed.
 */
export async function operatorCommand(instance: TestInstance, ...args: string[]): Promise<string> {
  const out = recorder();
  await runCli(
    args,
    testConfig({ db: instance.config.db, origin: instance.config.origin.href }),
    out,
  );
  return out.text();
}

/**
 * Waits out a running instance's read cache: an operator command is another process, so the
 * listings and threads it changed show there within READ_CACHE_MS (not at once, as its own writes do).
 */
export function cachedReadsExpire(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, READ_CACHE_MS + 50));
}
