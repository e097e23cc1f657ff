import { type DbHandle, lockRow } from "./database.ts";

/** Counts one hit in a window, atomically across processes; returns the count after it. */
export async function countHit(
  db: DbHandle,
  key: string,
  windowStart: string,
  expiresAt: string,
): Promise<number> {
  const row = await db
    .insertInto("rate_limit_counters")
    .values({ key, window_start: windowStart, count: 1, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .columns(["key", "window_start"])
        .doUpdateSet((eb) => ({ count: eb("rate_limit_counters.count", "+", 1) })),
    )
    .returning("count")
    .executeTakeFirstOrThrow();
  return row.count;
}

/** The count of a window so far, without counting anything (0 when nothing was counted). */
export async function readHits(db: DbHandle, key: string, windowStart: string): Promise<number> {
  const row = await db
    .selectFrom("rate_limit_counters")
    .select("count")
    .where("key", "=", key)
    .where("window_start", "=", windowStart)
    .executeTakeFirst();
  return row?.count ?? 0;
}

export async function purgeExpiredCounters(db: DbHandle, now: string): Promise<number> {
  const result = await db
    .deleteFrom("rate_limit_counters")
    .where("expires_at", "<=", now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** When the agent last did each kind of thing, and how many comments it made since `since`. */
export async function recentActivity(
  db: DbHandle,
  agentId: string,
  since: { comments: string; submolts: string },
): Promise<{
  lastPost?: string;
  lastComment?: string;
  commentsSince: number;
  submoltsSince: number;
}> {
  const [post, comment, comments, submolts, held] = await Promise.all([
    db
      .selectFrom("posts")
      .select("created_at")
      .where("author_id", "=", agentId)
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom("comments")
      .select("created_at")
      .where("author_id", "=", agentId)
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("author_id", "=", agentId)
      .where("created_at", ">", since.comments)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("submolts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("owner_id", "=", agentId)
      .where("created_at", ">", since.submolts)
      .executeTakeFirstOrThrow(),
    // Content held for a verification answer counts as written: a challenge is no way around
    // the cooldowns. Verified ones are in posts/comments already. A day back covers the post
    // cooldowns as configured in practice (30 min, 2 h for new agents).
    db
      .selectFrom("verification_challenges")
      .select(["content_type", "created_at"])
      .where("agent_id", "=", agentId)
      .where("verified_at", "is", null)
      .where("created_at", ">", since.comments)
      .execute(),
  ]);
  const heldPost = latest(held.filter((h) => h.content_type === "post"));
  const heldComments = held.filter((h) => h.content_type === "comment");
  const lastPost = later(post?.created_at, heldPost);
  const lastComment = later(comment?.created_at, latest(heldComments));
  return {
    ...(lastPost === undefined ? {} : { lastPost }),
    ...(lastComment === undefined ? {} : { lastComment }),
    commentsSince:
      Number(comments.n) + heldComments.filter((h) => h.created_at > since.comments).length,
    submoltsSince:
      Number(submolts.n) +
      held.filter((h) => h.content_type === "submolt" && h.created_at > since.submolts).length,
  };
}

function latest(rows: readonly { created_at: string }[]): string | undefined {
  return rows.reduce<string | undefined>((last, row) => later(last, row.created_at), undefined);
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  return b === undefined || a >= b ? a : b;
}

/** Locks the agent's row for the rest of the transaction (see lockRow): one write at a time. */
export async function lockAgentRow(
  db: DbHandle,
  dialect: "sqlite" | "postgres",
  agentId: string,
): Promise<void> {
  await lockRow(db, dialect, "agents", agentId);
}
