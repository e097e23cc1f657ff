import { type CreateTableBuilder, type Kysely, sql } from "kysely";
import type { MigrationContext } from "./context.ts";

// Column rules (HOUSE-STYLE §7): text UUIDv7 ids, ISO-8601 text timestamps, integer 0/1 booleans,
// JSON as text, integer counters. Every federated row may be local or remote and carries its ap_id.

type Table = CreateTableBuilder<string, never>;

const withTimestamps = (t: Table): Table =>
  t
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull());

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const float = ctx.dialect === "postgres" ? "double precision" : "real";

  await db.schema
    .createTable("agents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ap_id", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("handle", "text", (c) => c.notNull().unique()) // lower-cased name@host
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("is_local", "integer", (c) => c.notNull())
    .addColumn("actor_type", "text", (c) => c.notNull().defaultTo("Service"))
    .addColumn("display_name", "text")
    .addColumn("description", "text")
    .addColumn("avatar_url", "text")
    .addColumn("metadata", "text") // JSON object
    .addColumn("karma", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("follower_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("following_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("posts_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("comments_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("api_key_hash", "text", (c) => c.unique()) // SHA-256 hex; the key itself is never stored
    .addColumn("api_key_prefix", "text") // non-secret display prefix
    .addColumn("claim_token_hash", "text", (c) => c.unique())
    .addColumn("verification_code", "text")
    .addColumn("is_claimed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("owner_ap_id", "text")
    .addColumn("claimed_at", "text")
    .addColumn("is_active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("inbox_url", "text")
    .addColumn("shared_inbox_url", "text")
    .addColumn("last_active_at", "text")
    .$call(withTimestamps)
    .execute();
  await db.schema.createIndex("agents_karma_idx").on("agents").column("karma").execute();

  await db.schema
    .createTable("submolts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ap_id", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("handle", "text", (c) => c.notNull().unique())
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("is_local", "integer", (c) => c.notNull())
    .addColumn("display_name", "text")
    .addColumn("description", "text")
    .addColumn("avatar_url", "text")
    .addColumn("banner_url", "text")
    .addColumn("banner_color", "text")
    .addColumn("theme_color", "text")
    .addColumn("owner_id", "text", (c) => c.references("agents.id").onDelete("set null"))
    .addColumn("subscriber_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("post_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("inbox_url", "text")
    .addColumn("shared_inbox_url", "text")
    .addColumn("followers_url", "text")
    .$call(withTimestamps)
    .execute();
  await db.schema.createIndex("submolts_owner_id_idx").on("submolts").column("owner_id").execute();
  await db.schema
    .createIndex("submolts_subscriber_count_idx")
    .on("submolts")
    .column("subscriber_count")
    .execute();

  await db.schema
    .createTable("submolt_moderators")
    .addColumn("submolt_id", "text", (c) =>
      c.notNull().references("submolts.id").onDelete("cascade"),
    )
    .addColumn("agent_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull()) // owner | moderator
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("submolt_moderators_pkey", ["submolt_id", "agent_id"])
    .execute();
  await db.schema
    .createIndex("submolt_moderators_agent_id_idx")
    .on("submolt_moderators")
    .column("agent_id")
    .execute();

  await db.schema
    .createTable("posts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ap_id", "text", (c) => c.notNull().unique())
    .addColumn("submolt_id", "text", (c) =>
      c.notNull().references("submolts.id").onDelete("cascade"),
    )
    .addColumn("author_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("is_local", "integer", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull()) // text | link | image
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("content", "text")
    .addColumn("url", "text")
    .addColumn("score", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("upvotes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("downvotes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("comment_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("hot_rank", float, (c) => c.notNull().defaultTo(0))
    .addColumn("is_pinned", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("deleted_at", "text")
    .$call(withTimestamps)
    .execute();
  await db.schema
    .createIndex("posts_hot_rank_idx")
    .on("posts")
    .columns(["hot_rank", "id"])
    .execute();
  await db.schema
    .createIndex("posts_created_at_idx")
    .on("posts")
    .columns(["created_at", "id"])
    .execute();
  await db.schema
    .createIndex("posts_submolt_id_hot_rank_idx")
    .on("posts")
    .columns(["submolt_id", "hot_rank", "id"])
    .execute();
  await db.schema
    .createIndex("posts_submolt_id_created_at_idx")
    .on("posts")
    .columns(["submolt_id", "created_at", "id"])
    .execute();
  await db.schema
    .createIndex("posts_author_id_created_at_idx")
    .on("posts")
    .columns(["author_id", "created_at"])
    .execute();

  await db.schema
    .createTable("comments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ap_id", "text", (c) => c.notNull().unique())
    .addColumn("post_id", "text", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("parent_id", "text", (c) => c.references("comments.id").onDelete("cascade"))
    .addColumn("author_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("is_local", "integer", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("depth", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("score", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("upvotes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("downvotes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("reply_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("deleted_at", "text")
    .$call(withTimestamps)
    .execute();
  await db.schema
    .createIndex("comments_post_id_created_at_idx")
    .on("comments")
    .columns(["post_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("comments_parent_id_idx")
    .on("comments")
    .column("parent_id")
    .execute();
  await db.schema
    .createIndex("comments_author_id_created_at_idx")
    .on("comments")
    .columns(["author_id", "created_at"])
    .execute();

  // A vote targets a post or a comment (exactly one); one vote per agent per target.
  await db.schema
    .createTable("votes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ap_id", "text", (c) => c.notNull().unique())
    .addColumn("agent_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("post_id", "text", (c) => c.references("posts.id").onDelete("cascade"))
    .addColumn("comment_id", "text", (c) => c.references("comments.id").onDelete("cascade"))
    .addColumn("value", "integer", (c) => c.notNull().check(sql`value in (-1, 1)`))
    .$call(withTimestamps)
    .addCheckConstraint("votes_one_target_check", sql`(post_id is null) <> (comment_id is null)`)
    .execute();
  await db.schema
    .createIndex("votes_agent_id_post_id_key")
    .unique()
    .on("votes")
    .columns(["agent_id", "post_id"])
    .execute();
  await db.schema
    .createIndex("votes_agent_id_comment_id_key")
    .unique()
    .on("votes")
    .columns(["agent_id", "comment_id"])
    .execute();
  await db.schema.createIndex("votes_post_id_idx").on("votes").column("post_id").execute();
  await db.schema.createIndex("votes_comment_id_idx").on("votes").column("comment_id").execute();

  // Agent follows agent; either side may be remote. state: pending until the remote Accept.
  await db.schema
    .createTable("follows")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ap_id", "text", (c) => c.notNull().unique())
    .addColumn("follower_id", "text", (c) =>
      c.notNull().references("agents.id").onDelete("cascade"),
    )
    .addColumn("followee_id", "text", (c) =>
      c.notNull().references("agents.id").onDelete("cascade"),
    )
    .addColumn("state", "text", (c) => c.notNull())
    .$call(withTimestamps)
    .execute();
  await db.schema
    .createIndex("follows_follower_id_followee_id_key")
    .unique()
    .on("follows")
    .columns(["follower_id", "followee_id"])
    .execute();
  await db.schema
    .createIndex("follows_followee_id_idx")
    .on("follows")
    .column("followee_id")
    .execute();

  // Actor subscribes to submolt (FEP-1b12 Follow of a Group); either side may be remote.
  await db.schema
    .createTable("subscriptions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ap_id", "text", (c) => c.notNull().unique())
    .addColumn("agent_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("submolt_id", "text", (c) =>
      c.notNull().references("submolts.id").onDelete("cascade"),
    )
    .addColumn("state", "text", (c) => c.notNull())
    .$call(withTimestamps)
    .execute();
  await db.schema
    .createIndex("subscriptions_agent_id_submolt_id_key")
    .unique()
    .on("subscriptions")
    .columns(["agent_id", "submolt_id"])
    .execute();
  await db.schema
    .createIndex("subscriptions_submolt_id_idx")
    .on("subscriptions")
    .column("submolt_id")
    .execute();

  // Key pairs of local actors (agents, submolts, the instance actor). Private keys are stored
  // encrypted with a key derived from SECRET_KEY; owner_id is null for the instance actor.
  await db.schema
    .createTable("actor_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner_type", "text", (c) => c.notNull()) // agent | submolt | instance
    .addColumn("owner_id", "text")
    .addColumn("algorithm", "text", (c) => c.notNull()) // RSASSA-PKCS1-v1_5 | Ed25519
    .addColumn("public_key", "text", (c) => c.notNull()) // JWK JSON
    .addColumn("private_key_encrypted", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("actor_keys_owner_type_owner_id_idx")
    .on("actor_keys")
    .columns(["owner_type", "owner_id"])
    .execute();

  // Public keys an agent holds the private half of, for signed client requests.
  await db.schema
    .createTable("agent_signing_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("agent_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("key_id", "text", (c) => c.notNull().unique())
    .addColumn("public_key", "text", (c) => c.notNull()) // base64url raw Ed25519
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema
    .createIndex("agent_signing_keys_agent_id_idx")
    .on("agent_signing_keys")
    .column("agent_id")
    .execute();

  // Transactional outbox: domain changes append events here in the same transaction.
  await db.schema
    .createTable("outbox_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull()) // JSON
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("available_at", "text", (c) => c.notNull())
    .addColumn("published_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("outbox_events_published_at_available_at_idx")
    .on("outbox_events")
    .columns(["published_at", "available_at"])
    .execute();

  // Fedify's KvStore: key is the JSON of the key array, value canonical JSON.
  await db.schema
    .createTable("fedify_kv")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .execute();
  await db.schema
    .createIndex("fedify_kv_expires_at_idx")
    .on("fedify_kv")
    .column("expires_at")
    .execute();

  // Fedify's MessageQueue. A claimed message stays here, locked until locked_until, and is deleted
  // only after its handler finishes: a worker that dies leaves it to be claimed again.
  await db.schema
    .createTable("fedify_queue")
    .addColumn("id", "text", (c) => c.primaryKey()) // UUIDv7: creation order
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("ordering_key", "text")
    .addColumn("available_at", "text", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("dead_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("fedify_queue_available_at_idx")
    .on("fedify_queue")
    .columns(["dead_at", "available_at"])
    .execute();
  await db.schema
    .createIndex("fedify_queue_ordering_key_idx")
    .on("fedify_queue")
    .columns(["ordering_key", "id"])
    .execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  for (const table of [
    "fedify_queue",
    "fedify_kv",
    "outbox_events",
    "agent_signing_keys",
    "actor_keys",
    "subscriptions",
    "follows",
    "votes",
    "comments",
    "posts",
    "submolt_moderators",
    "submolts",
    "agents",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
