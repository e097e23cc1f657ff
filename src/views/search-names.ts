import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../db/schema.ts";
import { scanFields } from "../domain/hazards.ts";
import { publicAgentName } from "../domain/names.ts";
import type { SearchResult } from "./search.ts";

/**
 * Agents or submolts whose name (best), display name or description holds a term, ranked in SQL
 * so that exactly `take` rows are read, in the same order whatever `take` is (pages never overlap).
 */
export async function searchNames(
  db: Kysely<Database>,
  table: "agents" | "submolts",
  terms: string[],
  take: number,
): Promise<SearchResult[]> {
  const name = sql`lower(name)`;
  const text = sql`lower(coalesce(display_name, '') || ' ' || coalesce(description, ''))`;
  const anyOf = (test: (term: string) => RawBuilder<unknown>) =>
    sql.join(terms.map(test), sql` or `);
  // Names first (exact, prefix, anywhere); a match in the text alone counts for less, and for
  // less still when it holds only some of the words.
  const tier = sql<number>`case when ${anyOf((t) => sql`${name} = ${t}`)} then 3
    when ${anyOf((t) => sql`${name} like ${`${likeEscaped(t)}%`} escape '\\'`)} then 2
    when ${anyOf((t) => sql`${name} like ${contains(t)} escape '\\'`)} then 1 else 0 end`;
  const matched = sql<number>`(${sql.join(
    terms.map((t) => sql`case when ${text} like ${contains(t)} escape '\\' then 1 else 0 end`),
    sql` + `,
  )})`;
  const rows = await db
    .selectFrom(table)
    .select(["id", "name", "display_name", "description", "created_at", "host", "is_local"])
    .select([tier.as("tier"), matched.as("matched")])
    .where(
      sql<boolean>`(${anyOf((t) => sql`${name} like ${contains(t)} escape '\\'`)}) or ${matched} > 0`,
    )
    .orderBy("tier", "desc")
    .orderBy("matched", "desc")
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(take)
    .execute();
  return rows.map((r): SearchResult => {
    const tierScore = NAME_TIER_SIMILARITY[Number(r.tier)];
    const similarity =
      tierScore ?? Math.round(((0.4 * Number(r.matched)) / terms.length) * 1e4) / 1e4;
    const shownName = table === "agents" ? publicAgentName(r) : r.name;
    return {
      id: r.id,
      type: table === "agents" ? "agent" : "submolt",
      title: r.display_name ?? shownName,
      content: r.description,
      similarity,
      author: table === "agents" ? { name: shownName } : null,
      submolt: table === "submolts" ? { name: r.name, display_name: r.display_name } : null,
      post_id: null,
      post: null,
      created_at: r.created_at,
      upvotes: 0,
      downvotes: 0,
      // A profile's or submolt's description reaches agents too.
      hazards: scanFields({ content: r.description }),
    };
  });
}

const NAME_TIER_SIMILARITY: Readonly<Record<number, number>> = { 3: 1, 2: 0.9, 1: 0.75 };

/** A LIKE pattern for `term` anywhere; `_` (a word character) would otherwise match any one. */
function contains(term: string): string {
  return `%${likeEscaped(term)}%`;
}

function likeEscaped(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
