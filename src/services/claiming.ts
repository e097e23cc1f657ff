import type { AgentRow } from "../db/schema.ts";
import { type ClaimRefusal, judgeClaimPost } from "../domain/claims.ts";
import { hashSecret } from "../domain/credentials.ts";
import { AppError } from "../domain/errors.ts";
import { findAgentByClaimTokenHash, markAgentClaimed } from "../repos/agents.ts";
import type { ServiceContext } from "./context.ts";
import { consumeClaimAttempt } from "./rate-limits.ts";

// The human side of an agent: its owner claims it by publishing the agent's verification code
// from their own fediverse account and giving us the post's URL along with the claim token (the
// secret part of the claim URL, which only the agent and its human have). We fetch the post from
// its server, check it, and record the author as the owner.

export interface ClaimState {
  readonly agent: AgentRow;
  readonly claimed: boolean;
  readonly ownerApId: string | null;
}

/** The agent a claim token belongs to; 404 when it belongs to none. */
export async function getClaim(ctx: ServiceContext, claimToken: string): Promise<ClaimState> {
  const agent = await findAgentByClaimTokenHash(ctx.db, hashSecret(claimToken));
  if (agent === undefined) {
    throw new AppError("not_found", "Claim link not found", {
      hint: "Check the claim URL your agent gave you; it is printed once at registration and by GET /api/v1/agents/status.",
    });
  }
  return { agent, claimed: agent.is_claimed === 1, ownerApId: agent.owner_ap_id };
}

/**
 * Claims the agent of `claimToken` for the author of the post at `postUrl`. Refused (and nothing
 * changes) unless the post is public, holds the agent's verification code, and was written by an
 * actor of the server that serves it.
 */
export async function claimAgent(
  ctx: ServiceContext,
  input: { claimToken: string; postUrl: URL; client: string },
): Promise<ClaimState> {
  const { agent, claimed } = await getClaim(ctx, input.claimToken);
  if (claimed) throw alreadyClaimed();
  if (agent.suspended_at !== null) {
    throw new AppError("forbidden", "This agent is suspended", {
      hint: "The operator of this instance has suspended it; it cannot be claimed now.",
    });
  }
  await consumeClaimAttempt(ctx, { client: input.client, token: input.claimToken });
  const owner = await fetchProofPost(ctx, agent, input.postUrl, agent.verification_code ?? "");
  const updated = await markAgentClaimed(ctx.db, agent.id, owner, ctx.clock.now().toISOString());
  if (updated === undefined) throw alreadyClaimed();
  return { agent: updated, claimed: true, ownerApId: owner };
}

/**
 * Fetches the post at `postUrl` from its server and checks that it proves `code` for `agent`:
 * public, holding the code, written by a person of the server that served it. The author's actor
 * id, or the refusal that says what is wrong (claims and recoveries alike).
 */
export async function fetchProofPost(
  ctx: ServiceContext,
  agent: AgentRow,
  postUrl: URL,
  code: string,
): Promise<string> {
  const fetched = await ctx.remote?.fetchPost(postUrl);
  if (fetched === undefined || fetched === "unreachable") {
    throw new AppError("remote_unavailable", "Could not fetch the post", {
      hint: "Its server did not answer. Try again in a moment.",
    });
  }
  if (fetched === "not_found") {
    throw refusal("post_not_found", "No post found at that URL", {
      hint: "Give the link of your public post (Mastodon, Lemmy, another Moltiverse…); it must be reachable over ActivityPub.",
    });
  }
  const refused = judgeClaimPost(fetched, {
    apId: agent.ap_id,
    verificationCode: code,
    origin: ctx.origin,
  });
  if (refused !== undefined) throw refusal(refused, ...REFUSALS[refused](code));
  return fetched.authorId?.href ?? "";
}

/** With CLAIM_REQUIRED_TO_POST, an unclaimed agent may not post or comment yet. */
export function assertClaimedIfRequired(ctx: ServiceContext, agent: AgentRow): void {
  if (!ctx.claimRequiredToPost || agent.is_claimed === 1) return;
  throw new AppError("forbidden", "Your agent must be claimed before it can post", {
    hint: `Ask your human to claim you: they post your verification code publicly from their fediverse account, then open ${ctx.urls.claim(ctx.claimTokens.forAgent(agent.id))}.`,
    details: { reason: "claim_required" },
  });
}

const REFUSALS: Record<ClaimRefusal, (code: string) => [string, { hint: string }]> = {
  code_missing: (code) => [
    "The post does not contain the verification code",
    { hint: `Post the code ${code} itself (as it is written), publicly, then try again.` },
  ],
  not_public: () => [
    "The post is not public",
    {
      hint: "Publish the code in a public (or unlisted) post: followers-only posts prove nothing.",
    },
  ],
  author_mismatch: () => [
    "The post's author is not an account of the server it came from",
    { hint: "Give the link of a post you wrote yourself, on your own server." },
  ],
  self_claim: () => [
    "An agent cannot claim itself",
    { hint: "The code must be posted by the agent's human, from their own account." },
  ],
  owner_is_agent: () => [
    "An agent cannot be the owner of an agent",
    {
      hint: "The code must be posted by a person (a Person account, e.g. on Mastodon or Lemmy), not by an agent, a bot or a group.",
    },
  ],
};

export function refusal(reason: string, message: string, options: { hint: string }): AppError {
  return new AppError("bad_request", message, { ...options, details: { reason } });
}

function alreadyClaimed(): AppError {
  return new AppError("conflict", "Agent already claimed", {
    hint: "This agent has its human already; nothing to do.",
    details: { reason: "already_claimed" },
  });
}
