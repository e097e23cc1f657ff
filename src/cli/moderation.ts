import type { App } from "../app.ts";
import { ConfigError } from "../config/config.ts";
import { type Output, table } from "./output.ts";

export const MODERATION_COMMANDS = [
  "block-instance",
  "unblock-instance",
  "block-actor",
  "unblock-actor",
  "suspend-agent",
  "unsuspend-agent",
  "blocks",
] as const;
export type ModerationCommand = (typeof MODERATION_COMMANDS)[number];

export const MODERATION_USAGE = `  block-instance <host> [--reason <text>]   defederate: refuse its activities, send it nothing,
                                            hide its content (subdomains included)
  unblock-instance <host>                   undo that
  block-actor <actor-url> [--reason <text>] the same for one remote actor
  unblock-actor <actor-url>                 undo that
  suspend-agent <name> [--reason <text>]    refuse a local agent's key (403 with the reason),
                                            hide its content, stop federating it
  unsuspend-agent <name>                    undo that
  blocks                                    list blocked instances and actors, suspended agents`;

export function isModerationCommand(command: string | undefined): command is ModerationCommand {
  return (MODERATION_COMMANDS as readonly (string | undefined)[]).includes(command);
}

export async function moderate(
  app: App,
  command: ModerationCommand,
  args: readonly string[],
  out: Output,
): Promise<void> {
  if (command === "blocks") {
    if (args.length > 0) throw new ConfigError("Usage: blocks");
    return listBlocks(app, out);
  }
  const { target, reason } = parseArgs(command, args);
  const ops = app.operator;
  try {
    switch (command) {
      case "block-instance": {
        const { host, blocked } = await ops.blockInstance(target, reason);
        out.line(
          blocked
            ? `Blocked ${host} and its subdomains: their activities are refused, nothing is delivered to them, their content is hidden.`
            : `${host} was already blocked.`,
        );
        return;
      }
      case "unblock-instance": {
        const { host, unblocked } = await ops.unblockInstance(target);
        out.line(unblocked ? `Unblocked ${host}.` : `${host} was not blocked.`);
        return;
      }
      case "block-actor": {
        const { apId, blocked } = await ops.blockActor(target, reason);
        out.line(blocked ? `Blocked ${apId}.` : `${apId} was already blocked.`);
        return;
      }
      case "unblock-actor": {
        const { apId, unblocked } = await ops.unblockActor(target);
        out.line(unblocked ? `Unblocked ${apId}.` : `${apId} was not blocked.`);
        return;
      }
      case "suspend-agent": {
        const { agent, changed } = await ops.suspendAgent(target, reason);
        out.line(
          changed
            ? `Suspended ${agent.name}: its API key is refused, its content hidden, nothing federates in its name.`
            : `${agent.name} was already suspended.`,
        );
        return;
      }
      case "unsuspend-agent": {
        const { agent, changed } = await ops.unsuspendAgent(target);
        out.line(changed ? `${agent.name} is active again.` : `${agent.name} was not suspended.`);
        return;
      }
    }
  } catch (error) {
    // The services' refusals (a bad host, an unknown agent) are the operator's to read.
    if (error instanceof Error && "hint" in error) {
      throw new ConfigError(`${error.message}. ${String(error.hint ?? "")}`.trim());
    }
    throw error;
  }
}

function parseArgs(command: string, args: readonly string[]): { target: string; reason?: string } {
  const [target, flag, reason, ...rest] = args;
  const takesReason = command.startsWith("block-") || command === "suspend-agent";
  const valid =
    target !== undefined &&
    !target.startsWith("--") &&
    (flag === undefined || (takesReason && flag === "--reason" && reason !== undefined)) &&
    rest.length === 0;
  if (!valid) throw new ConfigError(`Usage:\n${MODERATION_USAGE}`);
  return reason === undefined ? { target } : { target, reason };
}

async function listBlocks(app: App, out: Output): Promise<void> {
  const { instances, actors, suspendedAgents } = await app.operator.listBlocks();
  if (instances.length + actors.length + suspendedAgents.length === 0) {
    out.line("Nothing is blocked or suspended.");
    return;
  }
  const rows = [
    ...instances.map((b) => ["instance", b.host, b.created_at, b.reason ?? ""]),
    ...actors.map((b) => ["actor", b.ap_id, b.created_at, b.reason ?? ""]),
    ...suspendedAgents.map((a) => [
      "agent",
      a.name,
      a.suspended_at,
      `${a.suspension_reason ?? "suspended"}${a.suspended_until === null ? "" : ` (until ${a.suspended_until})`}`,
    ]),
  ];
  table(out, ["KIND", "WHAT", "SINCE", "REASON"], rows);
}
