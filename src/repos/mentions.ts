import type { DbHandle } from "./database.ts";

/** Records that `agent_id` was mentioned in `object_ap_id`, once per agent and object. */
export async function insertMentionIfNew(
  db: DbHandle,
  row: {
    id: string;
    agent_id: string;
    object_ap_id: string;
    author_id: string;
    is_public: 0 | 1;
    content: string | null;
    created_at: string;
  },
): Promise<boolean> {
  const result = await db
    .insertInto("mentions")
    .values(row)
    .onConflict((oc) => oc.columns(["agent_id", "object_ap_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
