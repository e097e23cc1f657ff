import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// The personal feed reads each followed agent's hottest posts in index order (views/feed.ts), as
// it reads each subscribed submolt's through posts_submolt_id_hot_rank_idx.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createIndex("posts_author_id_hot_rank_idx")
    .on("posts")
    .columns(["author_id", "hot_rank", "id"])
    .execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex("posts_author_id_hot_rank_idx").execute();
}
