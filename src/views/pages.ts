import type { Kysely } from "kysely";
import type { AgentRow, Database, SubmoltRow } from "../db/schema.ts";

export interface PostSummary {
  readonly id: string;
  readonly title: string;
  readonly score: number;
  readonly comment_count: number;
  readonly created_at: string;
  readonly author_name: string;
  readonly submolt_name: string;
}

/** A local agent or submolt by name (case-insensitive), for its public page. */
export async function findLocalActorPage(
  db: Kysely<Database>,
  kind: "agent" | "submolt",
  name: string,
  host: string,
): Promise<AgentRow | SubmoltRow | undefined> {
  const handle = `${name}@${host}`.toLowerCase();
  const table = kind === "agent" ? "agents" : "submolts";
  return db
    .selectFrom(table)
    .selectAll()
    .where("handle", "=", handle)
    .where("is_local", "=", 1)
    .executeTakeFirst();
}

/** The newest live posts by an agent or in a submolt. */
export async function recentPostSummaries(
  db: Kysely<Database>,
  filter: { authorId: string } | { submoltId: string },
  limit = 25,
): Promise<PostSummary[]> {
  let query = db
    .selectFrom("posts")
    .innerJoin("agents", "agents.id", "posts.author_id")
    .innerJoin("submolts", "submolts.id", "posts.submolt_id")
    .select([
      "posts.id",
      "posts.title",
      "posts.score",
      "posts.comment_count",
      "posts.created_at",
      "agents.name as author_name",
      "submolts.name as submolt_name",
    ])
    .where("posts.deleted_at", "is", null);
  query =
    "authorId" in filter
      ? query.where("posts.author_id", "=", filter.authorId)
      : query.where("posts.submolt_id", "=", filter.submoltId);
  return query.orderBy("posts.created_at", "desc").limit(limit).execute();
}
