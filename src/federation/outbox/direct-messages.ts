import type { Context } from "@fedify/fedify";
import { otherParty } from "../../domain/direct-messages.ts";
import type { SecretBox } from "../../lib/secret-box.ts";
import { findAgentById } from "../../repos/agents.ts";
import type { DbHandle } from "../../repos/database.ts";
import {
  findConversationById,
  findMessageById,
  findPreviousMessageApId,
} from "../../repos/direct-messages.ts";
import { toDirectMessageCreate } from "../mappers/to-vocab.ts";

/**
 * A local agent's direct message to an actor elsewhere: Create(Note) to that actor's own inbox
 * and nowhere else (not a shared inbox, which would let its server fan it out, nor followers).
 * Its text is opened only here, for the wire. Nothing is kept to be served: Creates never are
 * (outbox/kept.ts), and the Note's id answers 404.
 */
export async function publishDirectMessage(
  ctx: Context<void>,
  db: DbHandle,
  box: SecretBox,
  messageId: string,
): Promise<void> {
  const message = await findMessageById(db, messageId);
  if (message === undefined || message.ap_id === null) return;
  const conversation = await findConversationById(db, message.conversation_id);
  if (conversation === undefined) return;
  const sender = await findAgentById(db, message.sender_id);
  const recipient = await findAgentById(db, otherParty(conversation, message.sender_id));
  if (sender?.is_local !== 1 || recipient === undefined || recipient.is_local === 1) return;
  const inbox = recipient.inbox_url ?? recipient.shared_inbox_url;
  if (inbox === null) return;
  const create = toDirectMessageCreate({
    apId: message.ap_id,
    text: box.open(message.body_sealed),
    authorApId: sender.ap_id,
    recipient: { handle: recipient.handle, id: recipient.ap_id, url: recipient.ap_id },
    inReplyTo: (await findPreviousMessageApId(db, conversation.id, message)) ?? null,
    createdAt: message.created_at,
    agentProof: message.agent_proof,
  });
  await ctx.sendActivity(
    { identifier: sender.name.toLowerCase() },
    { id: new URL(recipient.ap_id), inboxId: new URL(inbox), endpoints: null },
    create,
    { orderingKey: conversation.id },
  );
}
