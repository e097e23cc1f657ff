import type { AgentRow } from "../db/schema.ts";
import { uuidv7 } from "../domain/ids.ts";
import { findCommentByApId } from "../repos/comments.ts";
import { inTransaction } from "../repos/database.ts";
import { insertMentionIfNew } from "../repos/mentions.ts";
import { findPostByApId } from "../repos/posts.ts";
import type { ServiceContext } from "./context.ts";
import { notifyRemoteMention } from "./notifications.ts";

// Mentions of local agents in what arrives from elsewhere, kept for notifications. A mention that
// was not public (a direct message, a followers-only post) keeps no text here: it must never
// show anywhere public, and what is not stored cannot leak.

export interface RemoteMention {
  readonly objectApId: string;
  readonly author: AgentRow;
  readonly mentioned: AgentRow;
  readonly isPublic: boolean;
  /** The text; dropped unless the mention is public. */
  readonly content: string;
}

/**
 * Stores the mention once per agent and object, and tells the agent (a public one points at the
 * post or comment, when it is held here); true when new.
 */
export async function receiveRemoteMention(
  ctx: ServiceContext,
  mention: RemoteMention,
): Promise<boolean> {
  if (mention.mentioned.is_local !== 1) return false;
  const id = uuidv7();
  return inTransaction(ctx.db, async (trx) => {
    const isNew = await insertMentionIfNew(trx, {
      id,
      agent_id: mention.mentioned.id,
      object_ap_id: mention.objectApId,
      author_id: mention.author.id,
      is_public: mention.isPublic ? 1 : 0,
      content: mention.isPublic ? mention.content : null,
      created_at: ctx.clock.now().toISOString(),
    });
    if (!isNew) return false;
    const comment = mention.isPublic ? await findCommentByApId(trx, mention.objectApId) : undefined;
    const post =
      comment === undefined && mention.isPublic
        ? await findPostByApId(trx, mention.objectApId)
        : undefined;
    const stored =
      comment !== undefined
        ? { postId: comment.post_id, commentId: comment.id }
        : post !== undefined
          ? { postId: post.id }
          : {};
    await notifyRemoteMention(
      { ...ctx, db: trx },
      { id, agentId: mention.mentioned.id, authorId: mention.author.id },
      stored,
    );
    return true;
  });
}
