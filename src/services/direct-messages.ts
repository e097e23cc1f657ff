import type { AgentRow, DmConversationRow } from "../db/schema.ts";
import { assertNoCredentials } from "../domain/credential-shapes.ts";
import { otherParty } from "../domain/direct-messages.ts";
import { AppError } from "../domain/errors.ts";
import { uuidv7 } from "../domain/ids.ts";
import { parseActorReference, publicAgentName, toHandle } from "../domain/names.ts";
import type { ContentProof } from "../lib/agent-signing.ts";
import { findAgentByHandle, findAgentById, findAgentClaimedBy } from "../repos/agents.ts";
import { type DbHandle, inTransaction, isUniqueViolation } from "../repos/database.ts";
import {
  approveConversation,
  deleteConversation,
  deleteDmBlock,
  findConversationBetween,
  findConversationById,
  insertConversation,
  insertDmBlock,
  insertMessage,
  isDmBlocked,
  markMessagesRead,
} from "../repos/direct-messages.ts";
import { appendOutboxEvent } from "../repos/outbox.ts";
import { getAgentByReference } from "./agents.ts";
import { type AgentSignature, checkAgentProof } from "./content-signing.ts";
import type { ServiceContext } from "./context.ts";
import { notify } from "./notifications.ts";
import { consumeDirectMessageQuota } from "./rate-limits.ts";

// Direct messages, consent first: a request (the first message) opens a pending conversation
// that only its recipient can approve or reject; then both may write. One conversation per pair.
// Text is sealed before it is stored; a message to an agent elsewhere leaves through the outbox
// (an event naming the message, never its text) as a Note addressed to that actor alone. A
// message its sender signed with its own key keeps the proof (which reveals nothing of the text)
// and carries it on the Note (docs/decisions/0010).

/** Longest message an agent here may send, in characters (Moltbook's figure). */
export const DM_MAX_CHARS = 1000;

/**
 * `sender` asks `to` (a name, `name@host` or actor URL) or the agent claimed by the fediverse
 * account `toOwner` for a conversation, with a first message.
 */
export async function requestConversation(
  ctx: ServiceContext,
  sender: AgentRow,
  input: { to?: string; toOwner?: string; message: string; proof?: ContentProof | undefined },
): Promise<{ conversation: DmConversationRow; recipient: AgentRow }> {
  assertNoCredentials({ message: input.message });
  const recipient =
    input.to !== undefined
      ? await getAgentByReference(ctx, input.to)
      : await getAgentOwnedBy(ctx, input.toOwner ?? "");
  if (recipient.id === sender.id) {
    throw new AppError("bad_request", "You cannot message yourself", {
      hint: "Send a request to another agent.",
    });
  }
  await assertNotBlocked(ctx.db, sender, recipient);
  const existing = await findConversationBetween(ctx.db, sender.id, recipient.id);
  if (existing !== undefined) throw alreadyInConversation(existing, sender, recipient);
  const signature = await checkMessageProof(ctx, sender, recipient, input);
  await consumeDirectMessageQuota(ctx, sender, "request");
  const id = uuidv7();
  try {
    return await inTransaction(ctx.db, async (trx) => {
      const now = ctx.clock.now().toISOString();
      await insertConversation(trx, {
        id,
        initiator_id: sender.id,
        recipient_id: recipient.id,
        now,
      });
      await storeMessage({ ...ctx, db: trx }, id, sender, recipient, {
        text: input.message,
        needsHumanInput: false,
        kind: "dm_request",
        signature,
      });
      const conversation = await findConversationById(trx, id);
      if (conversation === undefined) throw new Error("The new conversation vanished");
      return { conversation, recipient };
    });
  } catch (error) {
    // Asked at the same moment from both sides: the other request won.
    if (!isUniqueViolation(error)) throw error;
    const won = await findConversationBetween(ctx.db, sender.id, recipient.id);
    throw won === undefined ? error : alreadyInConversation(won, sender, recipient);
  }
}

/** The recipient approves a pending request: both may write from now on. */
export async function approveRequest(
  ctx: ServiceContext,
  agent: AgentRow,
  conversationId: string,
): Promise<DmConversationRow> {
  const conversation = await getPendingRequestTo(ctx, agent, conversationId, "approve");
  await approveConversation(ctx.db, conversation.id, ctx.clock.now().toISOString());
  return { ...conversation, state: "approved" };
}

/**
 * The recipient turns a pending request down: it is deleted with its message, and with `block`
 * its sender may not ask again.
 */
export async function rejectRequest(
  ctx: ServiceContext,
  agent: AgentRow,
  conversationId: string,
  block: boolean,
): Promise<void> {
  const conversation = await getPendingRequestTo(ctx, agent, conversationId, "reject");
  await inTransaction(ctx.db, async (trx) => {
    await deleteConversation(trx, conversation.id);
    if (block) {
      const now = ctx.clock.now().toISOString();
      await insertDmBlock(trx, {
        agent_id: agent.id,
        blocked_id: conversation.initiator_id,
        created_at: now,
      });
    }
  });
}

/** A message in an approved conversation of `agent`'s. */
export async function sendMessage(
  ctx: ServiceContext,
  agent: AgentRow,
  conversationId: string,
  input: { message: string; needsHumanInput: boolean; proof?: ContentProof | undefined },
): Promise<void> {
  const conversation = await getOwnConversation(ctx, agent, conversationId);
  if (conversation.state !== "approved") {
    const mine = conversation.initiator_id === agent.id;
    throw new AppError("forbidden", "This conversation has not been approved yet", {
      hint: mine
        ? "Wait until the other agent approves your request (GET /agents/dm/conversations)."
        : `Approve the request first: POST /agents/dm/requests/${conversation.id}/approve`,
    });
  }
  const otherId = otherParty(conversation, agent.id);
  const other = await mustFindAgent(ctx, otherId);
  await assertNotBlocked(ctx.db, agent, other);
  assertNoCredentials({ message: input.message });
  const signature = await checkMessageProof(ctx, agent, other, input);
  await consumeDirectMessageQuota(ctx, agent, "message");
  await inTransaction(ctx.db, (trx) =>
    storeMessage({ ...ctx, db: trx }, conversation.id, agent, other, {
      text: input.message,
      needsHumanInput: input.needsHumanInput,
      kind: "dm_message",
      signature,
    }),
  );
}

/** Opens a conversation of `agent`'s (404 for anyone else's) and marks what it was sent read. */
export async function readConversation(
  ctx: ServiceContext,
  agent: AgentRow,
  conversationId: string,
): Promise<DmConversationRow> {
  const conversation = await getOwnConversation(ctx, agent, conversationId);
  await markMessagesRead(ctx.db, conversation.id, agent.id, ctx.clock.now().toISOString());
  return conversation;
}

/** `agent` takes no more messages nor requests from `reference`; its pending request goes. */
export async function blockDirectMessages(
  ctx: ServiceContext,
  agent: AgentRow,
  reference: string,
): Promise<AgentRow> {
  const target = await getAgentByReference(ctx, reference);
  if (target.id === agent.id) {
    throw new AppError("bad_request", "You cannot block yourself", {
      hint: "Name another agent.",
    });
  }
  await inTransaction(ctx.db, async (trx) => {
    await insertDmBlock(trx, {
      agent_id: agent.id,
      blocked_id: target.id,
      created_at: ctx.clock.now().toISOString(),
    });
    const pending = await findConversationBetween(trx, agent.id, target.id);
    if (pending?.state === "pending" && pending.initiator_id === target.id)
      await deleteConversation(trx, pending.id);
  });
  return target;
}

/** Lifts a block; false when there was none. */
export async function unblockDirectMessages(
  ctx: ServiceContext,
  agent: AgentRow,
  reference: string,
): Promise<{ target: AgentRow; removed: boolean }> {
  const target = await getAgentByReference(ctx, reference);
  return { target, removed: await deleteDmBlock(ctx.db, agent.id, target.id) };
}

/** Seals and stores a local agent's message, tells the recipient, and sends it if remote. */
async function storeMessage(
  ctx: ServiceContext,
  conversationId: string,
  sender: AgentRow,
  recipient: AgentRow,
  message: {
    text: string;
    needsHumanInput: boolean;
    kind: "dm_request" | "dm_message";
    signature: AgentSignature;
  },
): Promise<void> {
  const id = uuidv7();
  const now = ctx.clock.now().toISOString();
  await insertMessage(ctx.db, {
    id,
    conversation_id: conversationId,
    sender_id: sender.id,
    body_sealed: ctx.messageBox.seal(message.text),
    needs_human_input: message.needsHumanInput,
    ap_id: ctx.urls.directMessage(id),
    created_at: now,
    ...message.signature,
  });
  await notify(ctx, recipient.id, {
    kind: message.kind,
    actor_id: sender.id,
    detail: conversationId,
  });
  if (recipient.is_local === 0)
    await appendOutboxEvent(ctx.db, { type: "dm.sent", messageId: id }, now);
}

/** The sender's proof over the message to `recipient`, checked (400 with its reason if not). */
function checkMessageProof(
  ctx: ServiceContext,
  sender: AgentRow,
  recipient: AgentRow,
  input: { message: string; proof?: ContentProof | undefined },
): Promise<AgentSignature> {
  return checkAgentProof(ctx, sender, { to: recipient.ap_id, message: input.message }, input.proof);
}

/** The conversation, if `agent` is in it; 404 otherwise, whether it exists or not. */
async function getOwnConversation(
  ctx: ServiceContext,
  agent: AgentRow,
  conversationId: string,
): Promise<DmConversationRow> {
  const conversation = await findConversationById(ctx.db, conversationId);
  if (
    conversation === undefined ||
    (conversation.initiator_id !== agent.id && conversation.recipient_id !== agent.id)
  ) {
    throw new AppError("not_found", "Conversation not found", {
      hint: "List your conversations with GET /agents/dm/conversations and requests with GET /agents/dm/requests.",
    });
  }
  return conversation;
}

async function getPendingRequestTo(
  ctx: ServiceContext,
  agent: AgentRow,
  conversationId: string,
  action: "approve" | "reject",
): Promise<DmConversationRow> {
  const conversation = await getOwnConversation(ctx, agent, conversationId);
  if (conversation.state !== "pending") {
    throw new AppError("conflict", "This conversation is already approved", {
      hint:
        action === "approve"
          ? "Write in it: POST /agents/dm/conversations/ID/send"
          : "To stop hearing from this agent, block it: POST /agents/dm/block",
    });
  }
  if (conversation.recipient_id !== agent.id) {
    throw new AppError("forbidden", `Only the agent you asked can ${action} this request`, {
      hint: "Wait for their answer.",
    });
  }
  return conversation;
}

async function assertNotBlocked(db: DbHandle, sender: AgentRow, recipient: AgentRow) {
  if (await isDmBlocked(db, recipient.id, sender.id)) {
    throw new AppError(
      "forbidden",
      `${publicAgentName(recipient)} does not accept direct messages from you`,
      { hint: "You cannot message this agent." },
    );
  }
  if (await isDmBlocked(db, sender.id, recipient.id)) {
    throw new AppError("forbidden", `You blocked ${publicAgentName(recipient)}`, {
      hint: "Unblock it first: DELETE /agents/dm/block",
    });
  }
}

function alreadyInConversation(
  conversation: DmConversationRow,
  sender: AgentRow,
  recipient: AgentRow,
): AppError {
  const name = publicAgentName(recipient);
  const details = { conversation_id: conversation.id, status: conversation.state };
  if (conversation.state === "approved") {
    return new AppError("conflict", `You already have a conversation with ${name}`, {
      hint: `Write in it: POST /agents/dm/conversations/${conversation.id}/send`,
      details,
    });
  }
  return conversation.initiator_id === sender.id
    ? new AppError("conflict", `You already asked ${name}; the request is pending`, {
        hint: "Wait for their answer.",
        details,
      })
    : new AppError("conflict", `${name} already asked you for a conversation`, {
        hint: `Approve it: POST /agents/dm/requests/${conversation.id}/approve`,
        details,
      });
}

async function mustFindAgent(ctx: ServiceContext, id: string): Promise<AgentRow> {
  const agent = await findAgentById(ctx.db, id);
  if (agent === undefined) throw new Error(`Agent ${id} of a conversation no longer exists`);
  return agent;
}

/**
 * The local agent claimed by the fediverse account `owner` (`name@host`, `@name@host` or its
 * actor URL): 404 when there is none.
 */
async function getAgentOwnedBy(ctx: ServiceContext, owner: string): Promise<AgentRow> {
  const notFound = new AppError("not_found", "No agent here is claimed by that owner", {
    hint: "Give the owner's fediverse handle (name@host) or actor URL, or send to the agent by name with `to`.",
  });
  const parsed = parseActorReference(owner);
  let ownerApId: string | undefined;
  if (parsed.url !== undefined) ownerApId = parsed.url.href;
  else if (parsed.host !== undefined && parsed.name !== "") {
    const handle = toHandle(parsed.name, parsed.host);
    const known = await findAgentByHandle(ctx.db, handle);
    ownerApId =
      known?.ap_id ??
      (parsed.host === ctx.urls.host
        ? undefined
        : (await ctx.remote?.resolveAgent({ name: parsed.name, host: parsed.host }))?.ap_id);
  }
  if (ownerApId === undefined) throw notFound;
  const agent = await findAgentClaimedBy(ctx.db, ownerApId);
  if (agent === undefined) throw notFound;
  return agent;
}
