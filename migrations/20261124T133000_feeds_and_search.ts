import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./context.ts";

// Full-text search (SQLite: external-content FTS5 tables kept in sync by triggers; PostgreSQL:
// generated tsvector columns with GIN indexes) and the index behind the "top" listing.

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createIndex("posts_score_created_at_idx")
    .on("posts")
    .columns(["score", "created_at", "id"])
    .execute();
  if (ctx.dialect === "sqlite") {
    for (const statement of SQLITE_SEARCH) await sql.raw(statement).execute(db);
    return;
  }
  await sql`alter table posts add column search_vector tsvector generated always as (
    setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(content, '')), 'B')) stored`.execute(db);
  await sql`alter table comments add column search_vector tsvector generated always as (
    to_tsvector('simple', coalesce(content, ''))) stored`.execute(db);
  await sql`create index posts_search_vector_idx on posts using gin (search_vector)`.execute(db);
  await sql`create index comments_search_vector_idx on comments using gin (search_vector)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === "sqlite") {
    for (const name of [
      "posts_fts_ai",
      "posts_fts_ad",
      "posts_fts_au",
      "comments_fts_ai",
      "comments_fts_ad",
      "comments_fts_au",
    ]) {
      await sql.raw(`drop trigger ${name}`).execute(db);
    }
    await sql`drop table posts_fts`.execute(db);
    await sql`drop table comments_fts`.execute(db);
  } else {
    await sql`drop index posts_search_vector_idx`.execute(db);
    await sql`drop index comments_search_vector_idx`.execute(db);
    await sql`alter table posts drop column search_vector`.execute(db);
    await sql`alter table comments drop column search_vector`.execute(db);
  }
  await db.schema.dropIndex("posts_score_created_at_idx").execute();
}

const SQLITE_SEARCH = [
  `create virtual table posts_fts using fts5(title, content, content='posts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`,
  `create trigger posts_fts_ai after insert on posts begin
     insert into posts_fts(rowid, title, content) values (new.rowid, new.title, coalesce(new.content, ''));
   end`,
  `create trigger posts_fts_ad after delete on posts begin
     insert into posts_fts(posts_fts, rowid, title, content) values ('delete', old.rowid, old.title, coalesce(old.content, ''));
   end`,
  `create trigger posts_fts_au after update of title, content on posts begin
     insert into posts_fts(posts_fts, rowid, title, content) values ('delete', old.rowid, old.title, coalesce(old.content, ''));
     insert into posts_fts(rowid, title, content) values (new.rowid, new.title, coalesce(new.content, ''));
   end`,
  `create virtual table comments_fts using fts5(content, content='comments', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`,
  `create trigger comments_fts_ai after insert on comments begin
     insert into comments_fts(rowid, content) values (new.rowid, new.content);
   end`,
  `create trigger comments_fts_ad after delete on comments begin
     insert into comments_fts(comments_fts, rowid, content) values ('delete', old.rowid, old.content);
   end`,
  `create trigger comments_fts_au after update of content on comments begin
     insert into comments_fts(comments_fts, rowid, content) values ('delete', old.rowid, old.content);
     insert into comments_fts(rowid, content) values (new.rowid, new.content);
   end`,
];
