import type { AgentRow, SubmoltRow } from "../db/schema.ts";
import { uuidv7 } from "../domain/ids.ts";
import { hotRank } from "../domain/ranking.ts";
import { bumpAgentCounter } from "../repos/agents.ts";
import { inTransaction } from "../repos/database.ts";
import { appendOutboxEvent } from "../repos/outbox.ts";
import { insertPostIfNew } from "../repos/posts.ts";
import { bumpSubmoltPostCount } from "../repos/submolts.ts";
import type { ServiceContext } from "./context.ts";

// Content that arrives from other instances. Inbox handlers verify origin and authorship first;
// these store, idempotently on the ActivityPub id (deliveries come at least once).

export interface RemotePost {
  readonly apId: string;
  readonly author: AgentRow;
  readonly submolt: SubmoltRow;
  readonly title: string;
  readonly content: string | null;
  readonly url: string | null;
  readonly publishedAt: Date;
}

/** Stores a remote post; false when it was already known. */
export async function receiveRemotePost(ctx: ServiceContext, post: RemotePost): Promise<boolean> {
  const now = ctx.clock.now();
  // A post dated in the future would sit on top of the hot feed: clamp to now.
  const created = post.publishedAt.getTime() > now.getTime() ? now : post.publishedAt;
  return inTransaction(ctx.db, async (trx) => {
    const id = uuidv7();
    const inserted = await insertPostIfNew(trx, {
      id,
      ap_id: post.apId,
      submolt_id: post.submolt.id,
      author_id: post.author.id,
      is_local: 0,
      type: post.url !== null && (post.content ?? "") === "" ? "link" : "text",
      title: post.title,
      content: post.content,
      url: post.url,
      hot_rank: hotRank(0, created),
      created_at: created.toISOString(),
      updated_at: now.toISOString(),
    });
    if (inserted) {
      await bumpSubmoltPostCount(trx, post.submolt.id, 1);
      await bumpAgentCounter(trx, post.author.id, "posts_count", 1);
      // A member of another instance posted into one of our submolts: relay it to its followers.
      if (post.submolt.is_local === 1) {
        await appendOutboxEvent(trx, { type: "submolt.announced", postId: id }, now.toISOString());
      }
    }
    return inserted;
  });
}
