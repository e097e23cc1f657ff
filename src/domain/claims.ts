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
] as const;
export type ClaimRefusal = (typeof CLAIM_REFUSALS)[number];

/**
 * Why `post` does not claim the agent, or undefined when it does: it is public, holds the code,
 * and was written by an actor of the server that served it (so whoever controls that server's
 * account published the code). The agent cannot vouch for itself.
 */
export function judgeClaimPost(
  post: FetchedPost,
  agent: { readonly apId: string; readonly verificationCode: string },
): ClaimRefusal | undefined {
  const author = post.authorId;
  if (author === undefined || !post.authorIsActor || author.origin !== post.id.origin) {
    return "author_mismatch";
  }
  if (author.href === agent.apId) return "self_claim";
  if (!post.isPublic) return "not_public";
  if (!containsCode(post.text, agent.verificationCode)) return "code_missing";
  return undefined;
}

/** The code as a word of its own (any case): `reef-X4KQ` is not in `xreef-X4KQZ`. */
export function containsCode(text: string, code: string): boolean {
  const escaped = code.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, "iu").test(text);
}
