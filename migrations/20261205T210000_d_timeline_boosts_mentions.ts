import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./context.ts";

// What followed people do outside submolts. A post of theirs (a Mastodon status) is a post
// without a submolt: posts.submolt_id becomes nullable. Boosts (Announce by a person) get a table
// and a per-post count; mentions of local agents are kept for notifications (no text when the
// mention was not public).
//
// SQLite cannot drop NOT NULL in place, and editing sqlite_schema (writable_schema) is refused:
// better-sqlite3 and node:sqlite both open databases in defensive mode. So the table is rebuilt
// the documented way (sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema
// Changes"; runMigrations switches foreign keys off around the run and checks them before it
// commits): same definition minus that constraint, rows copied with their rowids (the FTS index
// points at them), its indexes and triggers made again.

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .alterTable("posts")
    .addColumn("boost_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  if (ctx.dialect === "postgres") {
    await sql`alter table posts alter column submolt_id drop not null`.execute(db);
  } else {
    await rebuildPosts(db, (definition) =>
      definition.replace(/("submolt_id" text) not null/i, "$1"),
    );
  }
  await db.schema
    .createTable("boosts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ap_id", "text", (c) => c.notNull().unique())
    .addColumn("agent_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("post_id", "text", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("boosts_agent_id_post_id_key")
    .unique()
    .on("boosts")
    .columns(["agent_id", "post_id"])
    .execute();
  await db.schema.createIndex("boosts_post_id_idx").on("boosts").column("post_id").execute();

  await db.schema
    .createTable("mentions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("agent_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("object_ap_id", "text", (c) => c.notNull())
    .addColumn("author_id", "text", (c) => c.notNull().references("agents.id").onDelete("cascade"))
    .addColumn("is_public", "integer", (c) => c.notNull())
    // The text of a public mention only; a direct one is never kept in clear.
    .addColumn("content", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("mentions_agent_id_object_ap_id_key")
    .unique()
    .on("mentions")
    .columns(["agent_id", "object_ap_id"])
    .execute();
  await db.schema
    .createIndex("mentions_author_id_idx")
    .on("mentions")
    .column("author_id")
    .execute();
}

export async function down(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema.dropTable("mentions").execute();
  await db.schema.dropTable("boosts").execute();
  // Posts outside submolts cannot exist before this migration; nor their comments and votes.
  const outside = sql`(select id from posts where submolt_id is null)`;
  await sql`delete from votes where post_id in ${outside}
    or comment_id in (select id from comments where post_id in ${outside})`.execute(db);
  await sql`delete from comments where post_id in ${outside}`.execute(db);
  await sql`delete from posts where submolt_id is null`.execute(db);
  if (ctx.dialect === "postgres") {
    await sql`alter table posts alter column submolt_id set not null`.execute(db);
  } else {
    await rebuildPosts(db, (definition) =>
      definition.replace(/("submolt_id" text)(?! not null)/i, "$1 not null"),
    );
  }
  await db.schema.alterTable("posts").dropColumn("boost_count").execute();
}

/** SQLite: posts rebuilt with its definition changed by `change`, keeping rowids, indexes, triggers. */
async function rebuildPosts(db: Kysely<unknown>, change: (sql: string) => string): Promise<void> {
  const { rows: schema } = await sql<{ type: string; sql: string }>`
    select type, sql from sqlite_master where tbl_name = 'posts' and sql is not null`.execute(db);
  const table = schema.find((s) => s.type === "table")?.sql;
  if (table === undefined) throw new Error("posts table not found");
  const changed = change(table);
  if (changed === table) throw new Error("posts definition did not change");
  const { rows: columns } = await sql<{ name: string }>`
    select name from pragma_table_info('posts')`.execute(db);
  const list = columns.map((c) => `"${c.name}"`).join(", ");
  const create = changed.replace(/^create table "?posts"?/i, 'create table "posts_rebuilt"');
  await sql.raw(create).execute(db);
  await sql
    .raw(`insert into posts_rebuilt (rowid, ${list}) select rowid, ${list} from posts`)
    .execute(db);
  // Foreign keys are off: no cascade; the references to "posts" hold the new table once renamed.
  await sql`drop table posts`.execute(db);
  await sql`alter table posts_rebuilt rename to posts`.execute(db);
  for (const { sql: statement } of schema.filter((s) => s.type !== "table")) {
    await sql.raw(statement).execute(db);
  }
}
