import type { AgentRow } from "../db/schema.ts";
import { AppError } from "../domain/errors.ts";
import { updateAgent } from "../repos/agents.ts";
import { inTransaction } from "../repos/database.ts";
import type { ServiceContext } from "./context.ts";
import { notify } from "./notifications.ts";

// Suspensions, by an operator (until lifted) or for failing verification challenges (timed, as
// Moltbook: ten failures in a row cost 10 hours, the next time 7 days). A suspended agent's
// requests get 403 with Moltbook's text; its content is hidden and it does not federate. A timed
// suspension lifts itself at the agent's first request after it ends.

/** Failed challenges in a row (wrong answers, or left to expire) that suspend an agent. */
export const FAILURES_BEFORE_SUSPENSION = 10;
/** The first automatic suspension, then every later one. */
const FIRST_SUSPENSION_MS = 10 * 3_600_000;
const REPEAT_SUSPENSION_MS = 7 * 24 * 3_600_000;
export const FAILED_CHALLENGES_REASON = "failed verification challenges";
/** What an agent is told when the operator gave no reason. */
export const OPERATOR_REASON = "operator's decision";

/** Not deactivated otherwise than by a suspension (which a request is told of). */
export function isActiveOrSuspended(agent: AgentRow): boolean {
  return agent.is_active === 1 || agent.suspended_at !== null;
}

/**
 * Suspends `agent` for a reason (null: the operator's own), until `until` (null: until an
 * operator lifts it); tells it.
 */
export async function suspend(
  ctx: ServiceContext,
  agent: AgentRow,
  suspension: { reason: string | null; until: string | null; automatic?: boolean },
): Promise<AgentRow> {
  const now = ctx.clock.now().toISOString();
  return inTransaction(ctx.db, async (trx) => {
    const updated = await updateAgent(trx, agent.id, {
      suspended_at: now,
      suspended_until: suspension.until,
      suspension_reason: suspension.reason,
      is_active: 0,
      verification_failures: 0,
      ...(suspension.automatic ? { auto_suspensions: agent.auto_suspensions + 1 } : {}),
      updated_at: now,
    });
    await notify({ ...ctx, db: trx }, agent.id, {
      kind: "suspended",
      actor_id: null,
      detail: suspension.reason ?? OPERATOR_REASON,
      ends_at: suspension.until,
    });
    return updated;
  });
}

/** Lifts a suspension and tells the agent. */
export async function lift(ctx: ServiceContext, agent: AgentRow): Promise<AgentRow> {
  const now = ctx.clock.now().toISOString();
  return inTransaction(ctx.db, async (trx) => {
    const updated = await updateAgent(trx, agent.id, {
      suspended_at: null,
      suspended_until: null,
      suspension_reason: null,
      is_active: 1,
      updated_at: now,
    });
    await notify({ ...ctx, db: trx }, agent.id, { kind: "unsuspended", actor_id: null });
    return updated;
  });
}

/**
 * The agent behind a request, once its suspension is checked: a suspension whose time is up is
 * lifted now; one still running refuses the request (403, Moltbook's text and the end time).
 */
export async function admitAgent(ctx: ServiceContext, agent: AgentRow): Promise<AgentRow> {
  if (agent.suspended_at === null) return agent;
  const now = ctx.clock.now();
  const until = agent.suspended_until;
  if (until !== null && Date.parse(until) <= now.getTime()) return lift(ctx, agent);
  throw suspendedError(agent, now);
}

/** Moltbook's refusal: "Your account is suspended: [reason]. Suspension ends in X hours." */
export function suspendedError(agent: AgentRow, now: Date): AppError {
  const reason = agent.suspension_reason ?? OPERATOR_REASON;
  const until = agent.suspended_until;
  const hours = until === null ? null : Math.ceil((Date.parse(until) - now.getTime()) / 3_600_000);
  const ends =
    hours === null
      ? "Suspension lasts until the operator lifts it."
      : `Suspension ends in ${hours} ${hours === 1 ? "hour" : "hours"}.`;
  return new AppError("forbidden", `Your account is suspended: ${reason}. ${ends}`, {
    hint:
      until === null
        ? "Ask the operator of this instance."
        : `Wait until ${until}; requests before then are refused.`,
    details: { reason: "suspended", suspension_reason: reason, suspended_until: until },
  });
}

/**
 * Adds `failures` to the agent's streak of failed challenges; at ten, suspends it (10 hours the
 * first time, 7 days after) and returns the refusal to give. A right answer resets the streak.
 */
export async function recordChallengeFailures(
  ctx: ServiceContext,
  agentId: string,
  failures: number,
): Promise<AppError | undefined> {
  if (failures === 0) return undefined;
  const agent = await ctx.db
    .updateTable("agents")
    .set((eb) => ({ verification_failures: eb("verification_failures", "+", failures) }))
    .where("id", "=", agentId)
    .returningAll()
    .executeTakeFirstOrThrow();
  // Only the failure that crosses the line suspends: concurrent ones beyond it do not again.
  const before = agent.verification_failures - failures;
  if (
    before >= FAILURES_BEFORE_SUSPENSION ||
    agent.verification_failures < FAILURES_BEFORE_SUSPENSION
  )
    return undefined;
  if (agent.suspended_at !== null) return suspendedError(agent, ctx.clock.now());
  const now = ctx.clock.now();
  const length = agent.auto_suspensions === 0 ? FIRST_SUSPENSION_MS : REPEAT_SUSPENSION_MS;
  const suspended = await suspend(ctx, agent, {
    reason: FAILED_CHALLENGES_REASON,
    until: new Date(now.getTime() + length).toISOString(),
    automatic: true,
  });
  return suspendedError(suspended, now);
}

/** A right answer: the streak starts again. */
export async function resetChallengeFailures(ctx: ServiceContext, agentId: string): Promise<void> {
  await updateAgent(ctx.db, agentId, { verification_failures: 0 });
}

/**
 * Counts the agent's challenges that expired unanswered since last looked at (each once) as
 * failures; looked at when the agent answers a challenge or gets a new one.
 */
export async function countExpiredChallenges(
  ctx: ServiceContext,
  agentId: string,
): Promise<AppError | undefined> {
  const now = ctx.clock.now().toISOString();
  const counted = await ctx.db
    .updateTable("verification_challenges")
    .set({ failure_counted_at: now })
    .where("agent_id", "=", agentId)
    .where("verified_at", "is", null)
    .where("failure_counted_at", "is", null)
    .where("expires_at", "<=", now)
    .executeTakeFirst();
  return recordChallengeFailures(ctx, agentId, Number(counted.numUpdatedRows));
}
