import { type Kysely, sql } from "kysely";
import type { Database, DmConversationRow } from "../db/schema.ts";
import { otherParty } from "../domain/direct-messages.ts";
import { type FieldHazard, scanFields } from "../domain/hazards.ts";
import { publicAgentName } from "../domain/names.ts";
import type { SecretBox } from "../lib/secret-box.ts";
import { signatureFields } from "./signatures.ts";
import { isShownAuthor } from "./visibility.ts";

// What an agent sees of its direct messages, in Moltbook's shapes: requests waiting for it,
// its conversations with unread counts, one conversation's messages, and the summary that
// GET /agents/dm/check and /home show. Only the two agents of a conversation ever reach these.
// Every message carries its injection `hazards`, scanned here as it is opened rather than stored
// at write time as posts' are: the text is sealed at rest, and findings kept beside it (kinds
// and offsets) would tell a reader of the database something of what it says. Scanning on read
// also covers messages that arrived from other instances and those stored before the scan.

const PREVIEW_CHARS = 100;
/** The newest messages of a conversation shown at once. */
const CONVERSATION_MESSAGES = 200;
const LISTED = 100;
/** What a message shows, with its sender's name (a joined as `a`). */
const MESSAGE_COLUMNS = [
  "m.body_sealed",
  "m.needs_human_input",
  "m.created_at",
  "m.signing_key_id",
  "a.name",
  "a.host",
  "a.is_local",
] as const;

/** The other side of a conversation, as Moltbook's clients read it. */
export interface DmAgentJson {
  readonly name: string;
  readonly display_name: string | null;
  readonly description: string;
  readonly karma: number;
  readonly is_local: boolean;
  /** Its actor id: what a signed message names as its recipient (`to`). */
  readonly ap_id: string;
  /** The fediverse account that claimed the agent (Moltbook's X owner). */
  readonly owner: {
    readonly handle: string;
    readonly ap_id: string;
    readonly x_handle: string;
    readonly x_name: string;
  } | null;
}

export interface DmMessageJson {
  readonly id: string;
  readonly from_agent: { readonly name: string };
  readonly message: string;
  readonly from_you: boolean;
  readonly needs_human_input: boolean;
  /** Whether its sender signed it with its own key, checked here or on arrival. */
  readonly signed_by_agent: boolean;
  readonly signing_key_id: string | null;
  readonly created_at: string;
  readonly hazards: readonly FieldHazard[];
}

/** Requests waiting for `agentId`'s answer, and those it sent that wait for the other side. */
export async function listRequests(db: Kysely<Database>, box: SecretBox, agentId: string) {
  const incoming = await pendingConversations(db, "recipient_id", agentId);
  const outgoing = await pendingConversations(db, "initiator_id", agentId);
  const people = await agentsById(db, [
    ...incoming.map((c) => c.initiator_id),
    ...outgoing.map((c) => c.recipient_id),
  ]);
  const items = [];
  for (const c of incoming) {
    const first = await firstMessage(db, c.id);
    const text = first === undefined ? "" : box.open(first.body_sealed);
    const shown = preview(text);
    items.push({
      conversation_id: c.id,
      from: people.get(c.initiator_id) ?? null,
      message: text,
      message_preview: shown,
      created_at: c.created_at,
      hazards: scanFields({ message: text, message_preview: shown }),
    });
  }
  return {
    items,
    sent: outgoing.map((c) => ({
      conversation_id: c.id,
      to: people.get(c.recipient_id) ?? null,
      status: "pending" as const,
      created_at: c.created_at,
    })),
  };
}

/** `agentId`'s approved conversations, most recent first, with what is unread in each. */
export async function listConversations(db: Kysely<Database>, agentId: string) {
  const rows = await shownConversations(db)
    .selectAll("c")
    .select((eb) =>
      eb
        .selectFrom("dm_messages as m")
        .select(sql<number | string>`count(*)`.as("n"))
        .whereRef("m.conversation_id", "=", "c.id")
        .where("m.sender_id", "<>", agentId)
        .where("m.read_at", "is", null)
        .as("unread"),
    )
    .where((eb) => eb.or([eb("c.initiator_id", "=", agentId), eb("c.recipient_id", "=", agentId)]))
    .where("c.state", "=", "approved")
    .orderBy("c.last_message_at", "desc")
    .orderBy("c.id", "desc")
    .limit(LISTED)
    .execute();
  const people = await agentsById(
    db,
    rows.map((c) => otherParty(c, agentId)),
  );
  const items = rows.map((c) => ({
    conversation_id: c.id,
    with_agent: people.get(otherParty(c, agentId)) ?? null,
    unread_count: Number(c.unread ?? 0),
    last_message_at: c.last_message_at,
    you_initiated: c.initiator_id === agentId,
  }));
  return {
    total_unread: items.reduce((sum, item) => sum + item.unread_count, 0),
    items,
  };
}

/** The newest messages of a conversation of `agentId`'s, oldest first. */
export async function conversationMessages(
  db: Kysely<Database>,
  box: SecretBox,
  conversation: DmConversationRow,
  agentId: string,
): Promise<{ with_agent: DmAgentJson | null; messages: DmMessageJson[] }> {
  const rows = await db
    .selectFrom("dm_messages as m")
    .innerJoin("agents as a", "a.id", "m.sender_id")
    .select(["m.id", "m.sender_id", ...MESSAGE_COLUMNS])
    .where("m.conversation_id", "=", conversation.id)
    .orderBy("m.created_at", "desc")
    .orderBy("m.id", "desc")
    .limit(CONVERSATION_MESSAGES)
    .execute();
  const otherId = otherParty(conversation, agentId);
  const people = await agentsById(db, [otherId]);
  return {
    with_agent: people.get(otherId) ?? null,
    messages: rows.reverse().map((row) => {
      const message = box.open(row.body_sealed);
      return {
        id: row.id,
        from_agent: { name: publicAgentName(row) },
        message,
        from_you: row.sender_id === agentId,
        needs_human_input: row.needs_human_input === 1,
        ...signatureFields(row),
        created_at: row.created_at,
        hazards: scanFields({ message }),
      };
    }),
  };
}

/** Pending requests and unread messages of `agentId`, for GET /agents/dm/check and /home. */
export async function directMessageSummary(db: Kysely<Database>, box: SecretBox, agentId: string) {
  const requests = await listRequests(db, box, agentId);
  const unread = await unreadMessagesOf(db, agentId)
    .innerJoin("agents as a", "a.id", "m.sender_id")
    .select(["m.conversation_id", ...MESSAGE_COLUMNS])
    .orderBy("m.created_at", "desc")
    .orderBy("m.id", "desc")
    .limit(1000)
    .execute();
  const conversationsWithUnread = new Set(unread.map((m) => m.conversation_id)).size;
  return {
    requests: {
      count: requests.items.length,
      items: requests.items.map(({ message: _full, hazards, ...item }) => ({
        ...item,
        hazards: hazards.filter((h) => h.field === "message_preview"),
      })),
    },
    messages: {
      total_unread: unread.length,
      conversations_with_unread: conversationsWithUnread,
      latest: unread.slice(0, 5).map((m) => {
        const shown = preview(box.open(m.body_sealed));
        return {
          conversation_id: m.conversation_id,
          from: { name: publicAgentName(m) },
          message_preview: shown,
          needs_human_input: m.needs_human_input === 1,
          created_at: m.created_at,
          hazards: scanFields({ message_preview: shown }),
        };
      }),
    },
  };
}

/** How many requests wait for `agentId` and how many messages it has not read (for /home). */
export async function countDirectMessages(
  db: Kysely<Database>,
  agentId: string,
): Promise<{ pending_request_count: number; unread_message_count: number }> {
  const pending = await shownConversations(db)
    .select(sql<number | string>`count(*)`.as("n"))
    .where("c.recipient_id", "=", agentId)
    .where("c.state", "=", "pending")
    .executeTakeFirst();
  const unread = await unreadMessagesOf(db, agentId)
    .select(sql<number | string>`count(*)`.as("n"))
    .executeTakeFirst();
  return {
    pending_request_count: Number(pending?.n ?? 0),
    unread_message_count: Number(unread?.n ?? 0),
  };
}

/** The agents `agentId` has blocked from messaging it. */
export async function listBlockedAgents(db: Kysely<Database>, agentId: string) {
  const rows = await db
    .selectFrom("dm_blocks as b")
    .innerJoin("agents as a", "a.id", "b.blocked_id")
    .select(["a.name", "a.host", "a.is_local", "b.created_at"])
    .where("b.agent_id", "=", agentId)
    .orderBy("b.created_at", "desc")
    .limit(1000)
    .execute();
  return rows.map((row) => ({ name: publicAgentName(row), blocked_at: row.created_at }));
}

/**
 * Conversations (as `c`) whose two agents the operator's blocks and suspensions leave shown:
 * lifting them shows the conversation again.
 */
function shownConversations(db: Kysely<Database>) {
  return db
    .selectFrom("dm_conversations as c")
    .innerJoin("agents as ai", "ai.id", "c.initiator_id")
    .innerJoin("agents as ar", "ar.id", "c.recipient_id")
    .where(isShownAuthor("ai"))
    .where(isShownAuthor("ar"));
}

/** Messages sent to `agentId` in its approved conversations that it has not read. */
function unreadMessagesOf(db: Kysely<Database>, agentId: string) {
  return shownConversations(db)
    .innerJoin("dm_messages as m", "m.conversation_id", "c.id")
    .where((eb) => eb.or([eb("c.initiator_id", "=", agentId), eb("c.recipient_id", "=", agentId)]))
    .where("c.state", "=", "approved")
    .where("m.sender_id", "<>", agentId)
    .where("m.read_at", "is", null);
}

function pendingConversations(
  db: Kysely<Database>,
  side: "recipient_id" | "initiator_id",
  agentId: string,
): Promise<DmConversationRow[]> {
  return shownConversations(db)
    .selectAll("c")
    .where(`c.${side}`, "=", agentId)
    .where("c.state", "=", "pending")
    .orderBy("c.last_message_at", "desc")
    .orderBy("c.id", "desc")
    .limit(LISTED)
    .execute();
}

function firstMessage(db: Kysely<Database>, conversationId: string) {
  return db
    .selectFrom("dm_messages")
    .select("body_sealed")
    .where("conversation_id", "=", conversationId)
    .orderBy("created_at")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}

async function agentsById(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, DmAgentJson>> {
  const people = new Map<string, DmAgentJson>();
  if (ids.length === 0) return people;
  const rows = await db
    .selectFrom("agents as a")
    .leftJoin("agents as o", "o.ap_id", "a.owner_ap_id")
    .select([
      "a.id",
      "a.name",
      "a.host",
      "a.is_local",
      "a.ap_id",
      "a.display_name",
      "a.description",
      "a.karma",
      "a.owner_ap_id",
      "o.handle as owner_handle",
      "o.display_name as owner_display_name",
    ])
    .where("a.id", "in", [...new Set(ids)])
    .execute();
  for (const row of rows) {
    const ownerHandle = row.owner_handle ?? row.owner_ap_id;
    people.set(row.id, {
      name: publicAgentName(row),
      display_name: row.display_name,
      description: row.description ?? "",
      karma: row.karma,
      is_local: row.is_local === 1,
      ap_id: row.ap_id,
      owner:
        row.owner_ap_id === null || ownerHandle === null
          ? null
          : {
              handle: ownerHandle,
              ap_id: row.owner_ap_id,
              x_handle: ownerHandle,
              x_name: row.owner_display_name ?? ownerHandle,
            },
    });
  }
  return people;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= PREVIEW_CHARS ? flat : `${flat.slice(0, PREVIEW_CHARS - 1)}…`;
}
