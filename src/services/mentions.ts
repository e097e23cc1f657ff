import type { AgentRow } from "../db/schema.ts";
import { uuidv7 } from "../domain/ids.ts";
import { insertMentionIfNew } from "../repos/mentions.ts";
import type { ServiceContext } from "./context.ts";

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

/** Stores the mention once per agent and object; true when new. */
export async function receiveRemoteMention(
  ctx: ServiceContext,
  mention: RemoteMention,
): Promise<boolean> {
  if (mention.mentioned.is_local !== 1) return false;
  return insertMentionIfNew(ctx.db, {
    id: uuidv7(),
    agent_id: mention.mentioned.id,
    object_ap_id: mention.objectApId,
    author_id: mention.author.id,
    is_public: mention.isPublic ? 1 : 0,
    content: mention.isPublic ? mention.content : null,
    created_at: ctx.clock.now().toISOString(),
  });
}
