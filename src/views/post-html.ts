import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { ReadCache } from "./read-cache.ts";

/**
 * The HTML remote posts arrived with, sanitized on receipt (lib/sanitize-html.ts), by post id:
 * what readers are shown of them. Local posts have none (their text is their markdown), nor do
 * remote ones sent without HTML; both are left out. Each post's HTML is cached on its own, so
 * listings that share posts share the reads.
 */
export async function findRemotePostHtml(
  db: Kysely<Database>,
  cache: ReadCache,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const keyOf = (id: string) => JSON.stringify(["post-html", id]);
  const cached = await cache.getMany(
    ids.map(keyOf),
    async (missing): Promise<Map<string, string | null>> => {
      const missingIds = missing.map((key) => (JSON.parse(key) as [string, string])[1]);
      const rows = await db
        .selectFrom("posts")
        .select(["id", "content_html"])
        .where("id", "in", missingIds)
        .where("is_local", "=", 0)
        .execute();
      return new Map(rows.map((row) => [keyOf(row.id), row.content_html]));
    },
  );
  const html = new Map<string, string>();
  for (const id of ids) {
    const value = cached.get(keyOf(id));
    if (typeof value === "string") html.set(id, value);
  }
  return html;
}
