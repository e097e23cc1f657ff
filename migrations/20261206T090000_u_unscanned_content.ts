import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./context.ts";

// The rows stored before the hazard scanner (hazards null), which the workers scan once after an
// upgrade (src/repos/hazard-backfill.ts). Partial indexes: they hold only those rows, so the
// workers' look for them on every start is a lookup, not a scan of every post and comment.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createIndex("posts_unscanned")
    .on("posts")
    .column("id")
    .where(sql.ref("hazards"), "is", null)
    .execute();
  await db.schema
    .createIndex("comments_unscanned")
    .on("comments")
    .column("id")
    .where(sql.ref("hazards"), "is", null)
    .execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex("comments_unscanned").execute();
  await db.schema.dropIndex("posts_unscanned").execute();
}
