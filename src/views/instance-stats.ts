import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";

export interface InstanceStats {
  readonly localAgents: number;
  readonly localPosts: number;
  readonly localComments: number;
}

/** Counts of this instance's own agents and content, for NodeInfo and /api/v1/instance. */
export async function getInstanceStats(db: Kysely<Database>): Promise<InstanceStats> {
  const [agents, posts, comments] = await Promise.all([
    db
      .selectFrom("agents")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("is_local", "=", 1)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("posts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("is_local", "=", 1)
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("is_local", "=", 1)
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    localAgents: Number(agents.n),
    localPosts: Number(posts.n),
    localComments: Number(comments.n),
  };
}

/** Live local counts for /api/v1/instance. */
export async function getInstanceCounts(
  db: Kysely<Database>,
): Promise<{ agents: number; submolts: number; posts: number; comments: number }> {
  const [stats, submolts] = await Promise.all([
    getInstanceStats(db),
    db
      .selectFrom("submolts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("is_local", "=", 1)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    agents: stats.localAgents,
    submolts: Number(submolts.n),
    posts: stats.localPosts,
    comments: stats.localComments,
  };
}
