import type { App } from "../app.ts";
import { ConfigError } from "../config/config.ts";
import { type Output, table } from "./output.ts";

export const QUEUE_USAGE = `  queue                             delivery queue: ready, delayed, in flight, dead, per host
  dead-letters [--limit N]          deliveries given up, newest first, with their reasons
  dead-letters retry <id…|--all>    queue them again, with a fresh retry horizon
  dead-letters drop <id…|--all>     delete them`;

export async function showQueue(app: App, out: Output): Promise<void> {
  const status = await app.deliveries.status();
  out.line(
    `Deliveries: ${status.ready} ready, ${status.delayed} waiting to retry, ` +
      `${status.inFlight} in flight, ${status.dead} dead letters`,
  );
  out.line(`Outbox events not yet published: ${status.unpublishedEvents}`);
  if (status.hosts.length === 0) return;
  out.line();
  table(
    out,
    ["HOST", "QUEUED", "IN FLIGHT", "DEAD"],
    status.hosts.map((h) => [h.host, String(h.queued), String(h.inFlight), String(h.dead)]),
  );
}

export async function deadLetters(app: App, args: readonly string[], out: Output): Promise<void> {
  const [action, ...rest] = args;
  if (action === "retry" || action === "drop") {
    const selection = rest.includes("--all") ? "all" : rest;
    if (selection !== "all" && selection.length === 0) {
      throw new ConfigError(`dead-letters ${action} needs dead letter ids or --all`);
    }
    const count =
      action === "retry"
        ? await app.deliveries.retryDeadLetters(selection)
        : await app.deliveries.dropDeadLetters(selection);
    out.line(`${action === "retry" ? "Queued again" : "Dropped"}: ${count} dead letters`);
    return;
  }
  const limit = action === "--limit" ? Number(rest[0]) : 100;
  if (action !== undefined && (action !== "--limit" || !Number.isInteger(limit) || limit < 1)) {
    throw new ConfigError(`Unknown dead-letters arguments: ${args.join(" ")}\n${QUEUE_USAGE}`);
  }
  const dead = await app.deliveries.listDeadLetters(limit);
  if (dead.length === 0) {
    out.line("No dead letters");
    return;
  }
  for (const letter of dead) {
    out.line(`${letter.id}  ${letter.deadAt}  ${letter.attempts} attempts  ${letter.kind ?? "?"}`);
    if (letter.activityId !== null) {
      out.line(`  ${shortType(letter.activityType)} ${letter.activityId}`);
    }
    if (letter.inbox !== null) out.line(`  to ${letter.inbox}`);
    out.line(`  reason: ${letter.reason ?? "unknown"}`);
  }
}

function shortType(type: string | null): string {
  return type?.split("#").at(-1) ?? "Activity";
}
