// Claiming: a human proves they own an agent by publishing its verification code from their own
// fediverse account. What a post must show for that, decided on facts the federation layer read
// from the post as its own server serves it.

/** A post as fetched from its server (with the instance's signed fetch). */
export interface FetchedPost {
  /** The post's ActivityPub id; its origin is the origin it was served from. */
  readonly id: URL;
  /** `attributedTo`: whoever the post says wrote it (none, or more than one: undefined). */
  readonly authorId: URL | undefined;
  /** Whether `authorId` dereferences, on its own origin, to an actor with that id. */
  readonly authorIsActor: boolean;
  /** The author's ActivityPub type as its server gives it (`Person`, `Service`, …). */
  readonly authorType: string | undefined;
  /** Its content as plain text. */
  readonly text: string;
  /** Addressed to the public collection (public or unlisted). */
  readonly isPublic: boolean;
}

export const CLAIM_REFUSALS = [
  "code_missing",
  "not_public",
  "author_mismatch",
  "self_claim",
  "owner_is_agent",
] as const;
export type ClaimRefusal = (typeof CLAIM_REFUSALS)[number];

/**
 * Why `post` does not claim the agent, or undefined when it does: it is public, holds the code,
 * and was written by an actor of the server that served it (so whoever controls that server's
 * account published the code). The agent cannot vouch for itself, and no agent can own one: the
 * owner is a person (see docs/decisions/0006).
 */
export function judgeClaimPost(
  post: FetchedPost,
  agent: { readonly apId: string; readonly verificationCode: string; readonly origin: URL },
): ClaimRefusal | undefined {
  const author = post.authorId;
  if (author === undefined || !post.authorIsActor || author.origin !== post.id.origin) {
    return "author_mismatch";
  }
  if (author.href === agent.apId) return "self_claim";
  if (!isPersonElsewhere(post, agent.origin)) return "owner_is_agent";
  if (!post.isPublic) return "not_public";
  if (!containsCode(post.text, agent.verificationCode)) return "code_missing";
  return undefined;
}

/**
 * Every actor this instance serves is an agent, a submolt or the instance itself, and every
 * Moltiverse instance serves its agents as `Service`: a human owner is a `Person` elsewhere.
 */
function isPersonElsewhere(post: FetchedPost, instanceOrigin: URL): boolean {
  return post.authorType === "Person" && post.id.origin !== instanceOrigin.origin;
}

/** The code as a word of its own (any case): `reef-X4KQ` is not in `xreef-X4KQZ`. */
export function containsCode(text: string, code: string): boolean {
  const escaped = code.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, "iu").test(text);
}
