import type { AgentRow, NewSubmoltRow, SubmoltRow } from "../db/schema.ts";
import { assertNoCredentials } from "../domain/credential-shapes.ts";
import { AppError } from "../domain/errors.ts";
import { uuidv7 } from "../domain/ids.ts";
import { normaliseSubmoltName, toHandle } from "../domain/names.ts";
import { findAgentByHandle } from "../repos/agents.ts";
import { inTransaction, isUniqueViolation } from "../repos/database.ts";
import {
  deleteModerator,
  findModeratorRole,
  type ModeratorRole,
  upsertModerator,
} from "../repos/moderators.ts";
import { appendOutboxEvent } from "../repos/outbox.ts";
import { lockAgentRow } from "../repos/rate-limits.ts";
import {
  bumpSubscriberCount,
  findSubmoltByHandle,
  insertSubmolt,
  updateSubmolt,
} from "../repos/submolts.ts";
import {
  deleteSubscription,
  findSubscription,
  insertSubscription,
} from "../repos/subscriptions.ts";
import { getAgentByReference } from "./agents.ts";
import type { ServiceContext } from "./context.ts";
import { assertMayCreateSubmolt } from "./rate-limits.ts";
import {
  holdForVerification,
  isSubmoltNameHeld,
  type PendingVerification,
  prepareVerification,
  releaseSubmoltName,
} from "./verification.ts";

// Creating and running local submolts: ownership, subscriptions, settings, moderators.

/** A new submolt, or one waiting for its creator's answer to a challenge (not created yet). */
export interface CreatedSubmolt {
  readonly submolt: SubmoltRow;
  readonly verification?: PendingVerification;
}

/**
 * Creates a submolt; its creator becomes owner and first subscriber, in one transaction. When
 * challenges apply, it waits instead (30 s) and its name is held for it meanwhile.
 */
export async function createSubmolt(
  ctx: ServiceContext,
  creator: AgentRow,
  input: { name: string; display_name?: string | undefined; description?: string | undefined },
): Promise<CreatedSubmolt> {
  const name = normaliseSubmoltName(input.name);
  assertNoCredentials({
    name,
    display_name: input.display_name,
    description: input.description,
  });
  const handle = toHandle(name, ctx.urls.host);
  const taken = () =>
    new AppError("conflict", "Submolt name already taken", {
      hint: `"${name}" is already a submolt or an agent here. Try a different name.`,
    });
  if ((await findAgentByHandle(ctx.db, handle)) !== undefined) throw taken();
  const id = uuidv7();
  const now = ctx.clock.now().toISOString();
  const row: NewSubmoltRow = {
    id,
    ap_id: ctx.urls.submolt(name),
    name,
    handle,
    host: ctx.urls.host,
    is_local: 1,
    display_name: input.display_name ?? name,
    description: input.description ?? "",
    owner_id: creator.id,
    created_at: now,
    updated_at: now,
  };
  const held = await prepareVerification(ctx, creator);
  try {
    const verification = await inTransaction(ctx.db, async (trx) => {
      await lockAgentRow(trx, ctx.dialect, creator.id);
      await assertMayCreateSubmolt({ ...ctx, db: trx }, creator);
      if (await isSubmoltNameHeld(trx, name, now)) throw taken();
      if (!held) return publishSubmolt({ ...ctx, db: trx }, row);
      if ((await findSubmoltByHandle(trx, handle)) !== undefined) throw taken();
      return holdForVerification(ctx, trx, {
        authorId: creator.id,
        contentType: "submolt",
        contentId: id,
        payload: row,
        reservedName: name,
      });
    });
    if (verification !== undefined) return { submolt: pendingSubmolt(row), verification };
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
  const created = await findSubmoltByHandle(ctx.db, handle);
  if (created === undefined) throw new Error("Submolt vanished after creation");
  return { submolt: created };
}

/** Publishes a submolt held by the challenge `codeHash` (inside the verifying transaction). */
export async function publishHeldSubmolt(
  ctx: ServiceContext,
  codeHash: string,
  row: NewSubmoltRow,
): Promise<void> {
  await releaseSubmoltName(ctx.db, codeHash);
  if ((await findSubmoltByHandle(ctx.db, row.handle)) !== undefined) {
    throw new AppError("gone", "The submolt name was taken meanwhile", {
      hint: "Nothing was created; create it again under another name.",
      details: { content_type: "submolt", content_id: row.id },
    });
  }
  await publishSubmolt(ctx, row);
}

/** Stores a submolt with its owner as moderator and first subscriber; ctx.db a transaction. */
async function publishSubmolt(ctx: ServiceContext, row: NewSubmoltRow): Promise<undefined> {
  const now = row.created_at;
  const owner = row.owner_id as string;
  await insertSubmolt(ctx.db, row);
  await upsertModerator(ctx.db, {
    submolt_id: row.id,
    agent_id: owner,
    role: "owner",
    created_at: now,
  });
  const subscriptionId = uuidv7();
  await insertSubscription(ctx.db, {
    id: subscriptionId,
    ap_id: ctx.urls.subscription(subscriptionId),
    agent_id: owner,
    submolt_id: row.id,
    state: "accepted",
    now,
  });
  await bumpSubscriberCount(ctx.db, row.id, 1);
  return undefined;
}

/** What a submolt waiting for its challenge would be, to show its creator. */
function pendingSubmolt(row: NewSubmoltRow): SubmoltRow {
  return {
    ...row,
    display_name: row.display_name ?? null,
    description: row.description ?? null,
    avatar_url: null,
    banner_url: null,
    banner_color: null,
    theme_color: null,
    owner_id: row.owner_id ?? null,
    subscriber_count: 0,
    post_count: 0,
    inbox_url: null,
    shared_inbox_url: null,
    followers_url: null,
  };
}

export type SubscribeAction =
  | "subscribed"
  | "already_subscribed"
  | "unsubscribed"
  | "not_subscribed";

/** Subscribes or unsubscribes; the subscriber count moves with the row. Owners may leave too. */
export async function setSubscribed(
  ctx: ServiceContext,
  agent: AgentRow,
  submolt: SubmoltRow,
  subscribed: boolean,
): Promise<SubscribeAction> {
  return inTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now().toISOString();
    if (subscribed) {
      const id = uuidv7();
      const inserted = await insertSubscription(trx, {
        id,
        ap_id: ctx.urls.subscription(id),
        agent_id: agent.id,
        submolt_id: submolt.id,
        // A remote submolt answers with Accept; until then the subscription is pending.
        state: submolt.is_local === 1 ? "accepted" : "pending",
        now,
      });
      if (!inserted) return "already_subscribed";
      await bumpSubscriberCount(trx, submolt.id, 1);
      if (submolt.is_local === 0) {
        await appendOutboxEvent(trx, { type: "subscription.requested", subscriptionId: id }, now);
      }
      return "subscribed";
    }
    const existing = await findSubscription(trx, agent.id, submolt.id);
    if (existing === undefined || !(await deleteSubscription(trx, agent.id, submolt.id)))
      return "not_subscribed";
    await bumpSubscriberCount(trx, submolt.id, -1);
    if (submolt.is_local === 0) {
      const event = {
        type: "follow.undone",
        followApId: existing.ap_id,
        followerId: agent.id,
        followeeApId: submolt.ap_id,
        followeeInbox: submolt.inbox_url,
        followeeSharedInbox: submolt.shared_inbox_url,
      } as const;
      await appendOutboxEvent(trx, event, now);
    }
    return "unsubscribed";
  });
}

export interface SubmoltSettings {
  readonly description?: string | undefined;
  readonly display_name?: string | undefined;
  readonly banner_color?: string | undefined;
  readonly theme_color?: string | undefined;
}

/**
 * Owners and moderators change a submolt's description, display name and colours; the Group's
 * followers elsewhere are sent the new name and description.
 */
export async function updateSettings(
  ctx: ServiceContext,
  agent: AgentRow,
  submolt: SubmoltRow,
  settings: SubmoltSettings,
): Promise<void> {
  await assertMayChangeSettings(ctx, agent, submolt);
  assertNoCredentials({ ...settings });
  const changes = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  if (Object.keys(changes).length === 0) {
    throw new AppError("bad_request", "No valid fields to update", {
      hint: "Send at least one of description, display_name, banner_color, theme_color.",
    });
  }
  const now = ctx.clock.now().toISOString();
  // The name and description are on the Group's actor document (the colours are not).
  const moved =
    (settings.display_name !== undefined && settings.display_name !== submolt.display_name) ||
    (settings.description !== undefined && settings.description !== submolt.description);
  await inTransaction(ctx.db, async (trx) => {
    await updateSubmolt(trx, submolt.id, { ...changes, updated_at: now });
    if (moved && submolt.is_local === 1) {
      await appendOutboxEvent(
        trx,
        { type: "profile.updated", actor: "submolt", id: submolt.id },
        now,
      );
    }
  });
}

/** Only a submolt's owners and moderators change its settings, avatar and banner. */
export async function assertMayChangeSettings(
  ctx: ServiceContext,
  agent: AgentRow,
  submolt: SubmoltRow,
): Promise<void> {
  if ((await findModeratorRole(ctx.db, submolt.id, agent.id)) === undefined) {
    throw new AppError("forbidden", "You do not have permission to update this submolt", {
      hint: "Only the owner and moderators can change its settings.",
    });
  }
}

/** Owners add moderators (or co-owners); the role of an existing moderator changes. */
export async function addModerator(
  ctx: ServiceContext,
  owner: AgentRow,
  submolt: SubmoltRow,
  input: { agentName: string; role: ModeratorRole },
): Promise<void> {
  if ((await findModeratorRole(ctx.db, submolt.id, owner.id)) !== "owner") {
    throw new AppError("forbidden", "Only owners can add moderators", {
      hint: "Ask an owner of the submolt.",
    });
  }
  const agent = await getAgentByReference(ctx, input.agentName);
  await upsertModerator(ctx.db, {
    submolt_id: submolt.id,
    agent_id: agent.id,
    role: input.role,
    created_at: ctx.clock.now().toISOString(),
  });
}

/** Owners remove moderators; an owner cannot be removed this way. */
export async function removeModerator(
  ctx: ServiceContext,
  owner: AgentRow,
  submolt: SubmoltRow,
  agentName: string,
): Promise<boolean> {
  if ((await findModeratorRole(ctx.db, submolt.id, owner.id)) !== "owner") {
    throw new AppError("forbidden", "Only owners can remove moderators", {
      hint: "Ask an owner of the submolt.",
    });
  }
  const agent = await getAgentByReference(ctx, agentName);
  if ((await findModeratorRole(ctx.db, submolt.id, agent.id)) === "owner") {
    throw new AppError("forbidden", "Cannot remove owner", { hint: "Owners stay owners." });
  }
  return deleteModerator(ctx.db, submolt.id, agent.id);
}
