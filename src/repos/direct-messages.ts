import type { DmConversationRow, DmMessageRow } from "../db/schema.ts";
import type { DbHandle } from "./database.ts";

/** The key of the conversation between two agents, whichever of them asked. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

export async function findConversationById(
  db: DbHandle,
  id: string,
): Promise<DmConversationRow | undefined> {
  return db.selectFrom("dm_conversations").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findConversationBetween(
  db: DbHandle,
  a: string,
  b: string,
): Promise<DmConversationRow | undefined> {
  return db
    .selectFrom("dm_conversations")
    .selectAll()
    .where("pair_key", "=", pairKey(a, b))
    .executeTakeFirst();
}

export async function insertConversation(
  db: DbHandle,
  row: { id: string; initiator_id: string; recipient_id: string; now: string },
): Promise<void> {
  await db
    .insertInto("dm_conversations")
    .values({
      id: row.id,
      initiator_id: row.initiator_id,
      recipient_id: row.recipient_id,
      pair_key: pairKey(row.initiator_id, row.recipient_id),
      state: "pending",
      approved_at: null,
      last_message_at: row.now,
      created_at: row.now,
    })
    .execute();
}

export async function approveConversation(db: DbHandle, id: string, now: string): Promise<void> {
  await db
    .updateTable("dm_conversations")
    .set({ state: "approved", approved_at: now })
    .where("id", "=", id)
    .execute();
}

/** Removes a conversation with its messages (a rejected request). */
export async function deleteConversation(db: DbHandle, id: string): Promise<void> {
  await db.deleteFrom("dm_conversations").where("id", "=", id).execute();
}

export interface NewDmMessage {
  readonly id: string;
  readonly conversation_id: string;
  readonly sender_id: string;
  readonly body_sealed: string;
  readonly needs_human_input: boolean;
  readonly ap_id: string;
  readonly created_at: string;
  /** The sender's own proof, when it checked (UNSIGNED otherwise). */
  readonly agent_proof: string | null;
  readonly signing_key_id: string | null;
}

/** Stores a message and moves its conversation up; false when its `ap_id` is known already. */
export async function insertMessage(db: DbHandle, row: NewDmMessage): Promise<boolean> {
  const result = await db
    .insertInto("dm_messages")
    .values({ ...row, needs_human_input: row.needs_human_input ? 1 : 0, read_at: null })
    .onConflict((oc) => oc.column("ap_id").doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  await db
    .updateTable("dm_conversations")
    .set({ last_message_at: row.created_at })
    .where("id", "=", row.conversation_id)
    .execute();
  return true;
}

export async function findMessageById(db: DbHandle, id: string): Promise<DmMessageRow | undefined> {
  return db.selectFrom("dm_messages").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The ap_id of the newest message in the conversation before `before` (what a reply answers). */
export async function findPreviousMessageApId(
  db: DbHandle,
  conversationId: string,
  before: { created_at: string; id: string },
): Promise<string | undefined> {
  const row = await db
    .selectFrom("dm_messages")
    .select("ap_id")
    .where("conversation_id", "=", conversationId)
    .where((eb) =>
      eb.or([
        eb("created_at", "<", before.created_at),
        eb.and([eb("created_at", "=", before.created_at), eb("id", "<", before.id)]),
      ]),
    )
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.ap_id ?? undefined;
}

/** Marks what the other side sent in the conversation read by `readerId`; how many. */
export async function markMessagesRead(
  db: DbHandle,
  conversationId: string,
  readerId: string,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable("dm_messages")
    .set({ read_at: now })
    .where("conversation_id", "=", conversationId)
    .where("sender_id", "<>", readerId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function insertDmBlock(
  db: DbHandle,
  row: { agent_id: string; blocked_id: string; created_at: string },
): Promise<boolean> {
  const result = await db
    .insertInto("dm_blocks")
    .values(row)
    .onConflict((oc) => oc.columns(["agent_id", "blocked_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteDmBlock(
  db: DbHandle,
  agentId: string,
  blockedId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom("dm_blocks")
    .where("agent_id", "=", agentId)
    .where("blocked_id", "=", blockedId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Whether `agentId` blocked `blockedId` from messaging it. */
export async function isDmBlocked(
  db: DbHandle,
  agentId: string,
  blockedId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom("dm_blocks")
    .select("agent_id")
    .where("agent_id", "=", agentId)
    .where("blocked_id", "=", blockedId)
    .executeTakeFirst();
  return row !== undefined;
}
