import { ConfigError } from "./config.ts";

export const ROLES = ["web", "worker", "all"] as const;
/** What one process does: serve HTTP (web), deliver and publish (worker), or both (all). */
export type Role = (typeof ROLES)[number];

const USAGE = "Usage: node src/main.ts [--role web|worker|all] (default all)";

/** Reads `--role X` or `--role=X` from the command line; anything else stops the start. */
export function parseRole(args: readonly string[]): Role {
  let role: string = "all";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--role") role = args[++i] ?? "";
    else if (arg.startsWith("--role=")) role = arg.slice("--role=".length);
    else throw new ConfigError(`Unknown argument ${arg}\n${USAGE}`);
  }
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new ConfigError(`Unknown role "${role}"\n${USAGE}`);
  }
  return role as Role;
}

export function servesHttp(role: Role): boolean {
  return role !== "worker";
}

export function runsWorkers(role: Role): boolean {
  return role !== "web";
}
