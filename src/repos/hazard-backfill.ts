import { commentHazards } from "./comments.ts";
import type { DbHandle } from "./database.ts";
import { postHazards } from "./posts.ts";

/** Rows scanned per statement: small enough that requests get their turn between batches. */
const BATCH = 200;

/**
 * Scans the posts and comments stored before the hazards column existed (hazards null) and stores
 * what it finds, a batch at a time, until none is left or `signal` aborts. Until then such rows are
 * scanned on every read (storedHazards), which costs a listing about a millisecond. A row edited
 * meanwhile already has its hazards and is left alone (`hazards is null` in the update).
 */
export async function backfillHazards(db: DbHandle, signal: AbortSignal): Promise<number> {
  let filled = 0;
  while (!signal.aborted) {
    const posts = await db
      .selectFrom("posts")
      .select(["id", "title", "content", "url"])
      .where("hazards", "is", null)
      .limit(BATCH)
      .execute();
    for (const post of posts) {
      await db
        .updateTable("posts")
        .set({ hazards: postHazards(post) })
        .where("id", "=", post.id)
        .where("hazards", "is", null)
        .execute();
    }
    const comments =
      posts.length === BATCH
        ? []
        : await db
            .selectFrom("comments")
            .select(["id", "content"])
            .where("hazards", "is", null)
            .limit(BATCH)
            .execute();
    for (const comment of comments) {
      await db
        .updateTable("comments")
        .set({ hazards: commentHazards(comment.content) })
        .where("id", "=", comment.id)
        .where("hazards", "is", null)
        .execute();
    }
    filled += posts.length + comments.length;
    if (posts.length + comments.length === 0) return filled;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return filled;
}
