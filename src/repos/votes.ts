import type { DbHandle } from "./database.ts";

export type VoteTarget =
  | { readonly kind: "post"; readonly id: string }
  | { readonly kind: "comment"; readonly id: string };

export interface StoredVote {
  readonly id: string;
  readonly ap_id: string;
  readonly value: -1 | 1;
}

const column = (target: VoteTarget) => (target.kind === "post" ? "post_id" : "comment_id");

export async function findVote(
  db: DbHandle,
  agentId: string,
  target: VoteTarget,
): Promise<StoredVote | undefined> {
  return db
    .selectFrom("votes")
    .select(["id", "ap_id", "value"])
    .where("agent_id", "=", agentId)
    .where(column(target), "=", target.id)
    .executeTakeFirst();
}

/** A vote by its ActivityPub id, with who cast it and on what. */
export async function findVoteByApId(
  db: DbHandle,
  apId: string,
): Promise<
  (StoredVote & { agent_id: string; post_id: string | null; comment_id: string | null }) | undefined
> {
  return db
    .selectFrom("votes")
    .select(["id", "ap_id", "value", "agent_id", "post_id", "comment_id"])
    .where("ap_id", "=", apId)
    .executeTakeFirst();
}

/** Inserts a vote unless the agent already has one on the target; true when inserted. */
export async function insertVote(
  db: DbHandle,
  vote: {
    id: string;
    ap_id: string;
    agent_id: string;
    target: VoteTarget;
    value: -1 | 1;
    now: string;
  },
): Promise<boolean> {
  const result = await db
    .insertInto("votes")
    .values({
      id: vote.id,
      ap_id: vote.ap_id,
      agent_id: vote.agent_id,
      post_id: vote.target.kind === "post" ? vote.target.id : null,
      comment_id: vote.target.kind === "comment" ? vote.target.id : null,
      value: vote.value,
      created_at: vote.now,
      updated_at: vote.now,
    })
    .onConflict((oc) => oc.columns(["agent_id", column(vote.target)]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateVoteValue(
  db: DbHandle,
  id: string,
  value: -1 | 1,
  apId: string,
  now: string,
): Promise<void> {
  await db
    .updateTable("votes")
    .set({ value, ap_id: apId, updated_at: now })
    .where("id", "=", id)
    .execute();
}

export async function deleteVote(db: DbHandle, id: string): Promise<void> {
  await db.deleteFrom("votes").where("id", "=", id).execute();
}
