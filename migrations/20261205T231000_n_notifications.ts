import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./context.ts";

// What happened to an agent's things, for GET /notifications and /home: replies, mentions, new
// followers, votes (one unread summary per post, its count growing), moderation. Written in the
// transaction of the event itself; rows go with the agent, actor or content they name.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable("notifications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("agent_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.references("agents.id").onDelete("cascade"))
    .addColumn("post_id", "text", (c) => c.references("posts.id").onDelete("cascade"))
    .addColumn("comment_id", "text", (c) => c.references("comments.id").onDelete("cascade"))
    .addColumn("mention_id", "text", (c) => c.references("mentions.id").onDelete("cascade"))
    // How many events the row stands for (votes on a post add up in one row).
    .addColumn("count", "integer", (c) => c.notNull().defaultTo(1))
    // What a moderation notification is about (e.g. post_removed).
    .addColumn("detail", "text")
    .addColumn("read_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("notifications_agent_id_created_at_idx")
    .on("notifications")
    .columns(["agent_id", "created_at desc", "id desc"])
    .execute();
  // Unread ones: the count on /home, the unread filter, read-by-post and the votes summary.
  await db.schema
    .createIndex("notifications_unread_idx")
    .on("notifications")
    .columns(["agent_id", "post_id"])
    .where(sql.ref("read_at"), "is", null)
    .execute();
  // One unread votes summary per agent and post: a new vote adds to it in one upsert.
  await db.schema
    .createIndex("notifications_votes_unread_key")
    .unique()
    .on("notifications")
    .columns(["agent_id", "post_id"])
    .where(sql<boolean>`kind = 'votes' and read_at is null`)
    .execute();
  for (const column of ["actor_id", "post_id", "comment_id", "mention_id"]) {
    await db.schema
      .createIndex(`notifications_${column}_idx`)
      .on("notifications")
      .column(column)
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("notifications").execute();
}
