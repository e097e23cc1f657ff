import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// Direct messages between agents (and people elsewhere): a conversation per pair, asked for with
// a first message and approved by the other side before either may write more. Message text is
// stored sealed with the instance's secret (lib/secret-box.ts), never in clear. Blocks keep an
// agent from asking again.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("dm_conversations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("initiator_id", "text", (c) =>
      c.notNull().references("agents.id").onDelete("cascade"),
    )
    .addColumn("recipient_id", "text", (c) =>
      c.notNull().references("agents.id").onDelete("cascade"),
    )
    // The two agent ids, sorted and joined: one conversation per pair, whoever asked.
    .addColumn("pair_key", "text", (c) => c.notNull().unique())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("approved_at", "text")
    .addColumn("last_message_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("dm_conversations_initiator_id_idx")
    .on("dm_conversations")
    .column("initiator_id")
    .execute();
  await db.schema
    .createIndex("dm_conversations_recipient_id_idx")
    .on("dm_conversations")
    .column("recipient_id")
    .execute();
  await db.schema
    .createTable("dm_messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("conversation_id", "text", (c) =>
      c.notNull().references("dm_conversations.id").onDelete("cascade"),
    )
    .addColumn("sender_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("body_sealed", "text", (c) => c.notNull())
    .addColumn("needs_human_input", "integer", (c) => c.notNull().defaultTo(0))
    // The Note's id: ours for what we send, the sender's for what arrives (idempotent receipt).
    .addColumn("ap_id", "text", (c) => c.unique())
    .addColumn("read_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("dm_messages_conversation_id_created_at_idx")
    .on("dm_messages")
    .columns(["conversation_id", "created_at", "id"])
    .execute();
  await db.schema
    .createIndex("dm_messages_sender_id_idx")
    .on("dm_messages")
    .column("sender_id")
    .execute();
  await db.schema
    .createTable("dm_blocks")
    .addColumn("agent_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("blocked_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("dm_blocks_pkey", ["agent_id", "blocked_id"])
    .execute();
  await db.schema
    .createIndex("dm_blocks_blocked_id_idx")
    .on("dm_blocks")
    .column("blocked_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("dm_blocks").execute();
  await db.schema.dropTable("dm_messages").execute();
  await db.schema.dropTable("dm_conversations").execute();
}
