import type { AgentRow } from "../db/schema.ts";
import { uuidv7 } from "../domain/ids.ts";
import { inTransaction } from "../repos/database.ts";
import {
  approveConversation,
  findConversationBetween,
  findConversationById,
  insertConversation,
  insertMessage,
  isDmBlocked,
} from "../repos/direct-messages.ts";
import type { AgentSignature } from "./content-signing.ts";
import type { ServiceContext } from "./context.ts";
import { notify } from "./notifications.ts";
import { mayStoreRemoteContent } from "./rate-limits.ts";

// Direct messages that arrive from other servers (the inbox has checked who sent them). The
// same consent rule as here: a first message is a request; an answer to a request a local agent
// sent is the other side's approval.

/** Longest message kept from elsewhere (written under another server's rules). */
const REMOTE_DM_MAX_CHARS = 10_000;

/** What became of a direct message from elsewhere. */
export type DirectIntake = "stored" | "known" | "blocked" | "over_quota" | "empty";

/**
 * A direct message from `author` (an actor elsewhere) to the local agent `recipient`. With no
 * conversation between them it is a request; in a conversation the local agent asked for, it is
 * the answer that approves it; otherwise one more message. Idempotent on `apId`.
 */
export async function receiveRemoteDirectMessage(
  ctx: ServiceContext,
  input: {
    apId: string;
    author: AgentRow;
    recipient: AgentRow;
    text: string;
    /** Its author's own proof, as checked on arrival. */
    signature: AgentSignature;
  },
): Promise<DirectIntake> {
  const { author, recipient } = input;
  const text = input.text.trim().slice(0, REMOTE_DM_MAX_CHARS);
  if (text === "") return "empty";
  if (await isDmBlocked(ctx.db, recipient.id, author.id)) return "blocked";
  if (!(await mayStoreRemoteContent(ctx, author.id, "dm"))) return "over_quota";
  return inTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now().toISOString();
    let conversation = await findConversationBetween(trx, author.id, recipient.id);
    let kind: "dm_request" | "dm_message" = "dm_message";
    if (conversation === undefined) {
      const id = uuidv7();
      await insertConversation(trx, {
        id,
        initiator_id: author.id,
        recipient_id: recipient.id,
        now,
      });
      conversation = await findConversationById(trx, id);
      kind = "dm_request";
    } else if (conversation.state === "pending" && conversation.initiator_id === recipient.id) {
      // Their answer to our request is their consent.
      await approveConversation(trx, conversation.id, now);
    } else if (conversation.state === "pending") {
      kind = "dm_request";
    }
    if (conversation === undefined) throw new Error("The new conversation vanished");
    const stored = await insertMessage(trx, {
      id: uuidv7(),
      conversation_id: conversation.id,
      sender_id: author.id,
      body_sealed: ctx.messageBox.seal(text),
      needs_human_input: false,
      ap_id: input.apId,
      created_at: now,
      ...input.signature,
    });
    if (!stored) return "known";
    await notify({ ...ctx, db: trx }, recipient.id, {
      kind,
      actor_id: author.id,
      detail: conversation.id,
    });
    return "stored";
  });
}
