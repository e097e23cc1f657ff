import { runCli } from "../../src/cli/main.ts";
import type { Output } from "../../src/cli/output.ts";
import { testConfig } from "./config.ts";
import type { TestInstance } from "./instance.ts";

/** An Output that keeps what a command printed. */
export function recorder(): Output & { text: () => string } {
  const lines: string[] = [];
  return { line: (text = "") => void lines.push(text), text: () => lines.join("\n") };
}

/**
 * Runs an operator command (`npm run cli -- <args>`) against a running test instance's database,
 * as the operator would from another process (its own connection); returns what it printed.
 * On PostgreSQL it returns once the instance has had the command's notifications (they arrive
 * within milliseconds of the commit; waiting for them keeps the tests deterministic). On SQLite
 * nothing needs waiting for: every read checks for other connections' commits.
 */
export async function operatorCommand(instance: TestInstance, ...args: string[]): Promise<string> {
  const out = recorder();
  await runCli(
    args,
    testConfig({ db: instance.config.db, origin: instance.config.origin.href }),
    out,
  );
  await instance.catchUpWithOtherProcesses();
  return out.text();
}
