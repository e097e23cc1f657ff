import type { AgentRow, PostRow } from "../db/schema.ts";
import { uuidv7 } from "../domain/ids.ts";
import { deleteBoostByApId, insertBoostIfNew } from "../repos/boosts.ts";
import { inTransaction } from "../repos/database.ts";
import type { ServiceContext } from "./context.ts";

// Boosts by people on other instances (Mastodon's reblogs): counted on the post, and shown in the
// personal feed of agents who follow the booster.

/** Records `booster`'s boost `apId` of `post`; false when it was known (one boost per post). */
export async function receiveRemoteBoost(
  ctx: ServiceContext,
  boost: { readonly apId: string; readonly booster: AgentRow; readonly post: PostRow },
): Promise<boolean> {
  if (boost.post.deleted_at !== null || boost.booster.is_local === 1) return false;
  return inTransaction(ctx.db, (trx) =>
    insertBoostIfNew(trx, {
      id: uuidv7(),
      ap_id: boost.apId,
      agent_id: boost.booster.id,
      post_id: boost.post.id,
      created_at: ctx.clock.now().toISOString(),
    }),
  );
}

/** Takes back the boost `apId`, only by its own booster; false when no such boost is held. */
export async function undoRemoteBoost(
  ctx: ServiceContext,
  boost: { readonly apId: string; readonly booster: AgentRow },
): Promise<boolean> {
  return inTransaction(ctx.db, (trx) => deleteBoostByApId(trx, boost.apId, boost.booster.id));
}
