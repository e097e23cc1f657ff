import type { InboxContext } from "@fedify/fedify";
import { type Dislike, isActor, Like } from "@fedify/vocab";
import type { AgentRow } from "../../db/schema.ts";
import { appLogger } from "../../lib/logger.ts";
import { findAgentByApId } from "../../repos/agents.ts";
import { applyRemoteVote } from "../../services/remote-content.ts";
import { storeActor } from "../directory.ts";
import { ensureKnownContent } from "./content.ts";
import type { InboxDeps } from "./deps.ts";
import { unlessGone } from "./reach.ts";

const logger = appLogger("federation", "inbox");

/** Like (upvote) or Dislike (downvote) by its own actor, on content known here. */
export function handleVote(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, vote: Like | Dislike): Promise<void> => {
    await applyVote(deps, vote, vote instanceof Like ? 1 : -1);
  };
}

/** Applies a vote activity after checking that its id is on its actor's origin. */
export async function applyVote(
  deps: InboxDeps,
  vote: Like | Dislike,
  value: -1 | 0 | 1,
): Promise<boolean> {
  const { id, actorId, objectId } = vote;
  if (id === null || actorId === null || objectId === null || id.origin !== actorId.origin) {
    logger.info("Dropped a vote without ids or not from its actor's origin: {id}", {
      id: id?.href,
    });
    return false;
  }
  const voter = await voterOf(deps, vote, actorId);
  if (voter === undefined) return false;
  // A vote may overtake the post or comment it is about.
  if (value !== 0 && !(await ensureKnownContent(deps, objectId))) return false;
  return applyRemoteVote(deps.services, { apId: id.href, voter, targetApId: objectId.href, value });
}

async function voterOf(
  deps: InboxDeps,
  vote: Like | Dislike,
  actorId: URL,
): Promise<AgentRow | undefined> {
  const known = await findAgentByApId(deps.services.db, actorId.href);
  if (known !== undefined) return known;
  const actor = await unlessGone(vote.getActor());
  return isActor(actor) ? storeActor(deps.directory, actor) : undefined;
}
