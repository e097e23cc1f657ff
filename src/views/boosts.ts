import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { publicAgentName } from "../domain/names.ts";

/**
 * A personal feed's posts, those that someone the reader follows boosted marked `boosted_by`
 * (the booster's `name@host`, the latest booster when several did); the same array when none.
 */
export async function withBoostedBy<T extends { readonly id: string }>(
  db: Kysely<Database>,
  readerId: string,
  posts: T[],
): Promise<(T & { boosted_by?: string })[]> {
  if (posts.length === 0) return posts;
  const rows = await db
    .selectFrom("boosts")
    .innerJoin("agents", "agents.id", "boosts.agent_id")
    .select(["boosts.post_id", "agents.name", "agents.host", "agents.is_local"])
    .where(
      "boosts.post_id",
      "in",
      posts.map((post) => post.id),
    )
    .where("boosts.agent_id", "in", (eb) =>
      eb.selectFrom("follows").select("followee_id").where("follower_id", "=", readerId),
    )
    .orderBy("boosts.created_at", "asc")
    .execute();
  if (rows.length === 0) return posts;
  const boosters = new Map(rows.map((row) => [row.post_id, publicAgentName(row)]));
  return posts.map((post) => {
    const booster = boosters.get(post.id);
    return booster === undefined ? post : { ...post, boosted_by: booster };
  });
}
