import type { InboxContext } from "@fedify/fedify";
import { type Dislike, Like } from "@fedify/vocab";
import { applyRemoteVote } from "../../services/remote-content.ts";
import { findOrStoreAgent } from "../directory.ts";
import { ensureKnownContent } from "./create.ts";
import { APPLIED, type InboxDeps, ignored, type Verdict } from "./deps.ts";

/** Like (upvote) or Dislike (downvote) by its own actor, on content known here. */
export function handleVote(deps: InboxDeps) {
  return async (_ctx: InboxContext<void>, vote: Like | Dislike): Promise<Verdict> =>
    applyVote(deps, vote, vote instanceof Like ? 1 : -1);
}

/** Applies a vote activity (or its Undo, value 0) after checking its id is on its actor's origin. */
export async function applyVote(
  deps: InboxDeps,
  vote: Like | Dislike,
  value: -1 | 0 | 1,
): Promise<Verdict> {
  const { id, actorId, objectId } = vote;
  if (id === null || actorId === null || objectId === null) return ignored("a vote without ids");
  if (id.origin !== actorId.origin) return ignored("the vote is not on its actor's origin");
  const voter = await findOrStoreAgent(deps.directory, actorId, () => vote.getActor());
  if (voter === undefined) return ignored("its actor could not be resolved");
  // A vote may overtake the post or comment it is about.
  if (value !== 0 && !(await ensureKnownContent(deps, objectId)))
    return ignored("it is about something that could not be found");
  const applied = await applyRemoteVote(deps.services, {
    apId: id.href,
    voter,
    targetApId: objectId.href,
    value,
  });
  return applied ? APPLIED : ignored("unknown target, own content, or nothing to change");
}
