import type { ClaimTokens } from "../domain/credentials.ts";
import type { RateLimits } from "../domain/limits.ts";
import type { RecoveryTokens } from "../domain/recovery.ts";
import type { VerificationMode } from "../domain/verification-challenge.ts";
import type { Clock } from "../lib/clock.ts";
import type { MediaStore } from "../lib/media-store.ts";
import type { SecretBox } from "../lib/secret-box.ts";
import type { DbHandle } from "../repos/database.ts";
import { createReadCache, type ReadCache } from "../views/read-cache.ts";
import { type ContentSignal, createContentSignal } from "./content-signal.ts";
import type { RemoteDirectory } from "./ports.ts";
import { createUrls, type Urls } from "./urls.ts";

/** What every service needs: the database, the time, and the instance's own URLs. */
export interface ServiceContext {
  readonly db: DbHandle;
  /** For the few read models that differ by dialect (full-text search). */
  readonly dialect: "sqlite" | "postgres";
  readonly clock: Clock;
  readonly origin: URL;
  readonly urls: Urls;
  /** Finds actors on other instances; absent where federation is not wired (unit tests). */
  readonly remote?: RemoteDirectory;
  readonly limits: RateLimits;
  readonly claimTokens: ClaimTokens;
  readonly recoveryTokens: RecoveryTokens;
  /** Agents may post and comment only once claimed (CLAIM_REQUIRED_TO_POST). */
  readonly claimRequiredToPost: boolean;
  /** Who answers a challenge before new content shows (VERIFICATION_CHALLENGES), and the box sealing answers. */
  readonly verification: { readonly mode: VerificationMode; readonly box: SecretBox };
  /** Seals direct messages at rest (and opens them for their two agents and their delivery). */
  readonly messageBox: SecretBox;
  /** Listing pages and threads shared by every viewer, until a write (views/read-cache.ts). */
  readonly readCache: ReadCache;
  /** Posts and comments stored by this process, after commit (live pages follow them). */
  readonly newContent: ContentSignal;
  /** Uploaded avatars and banners, re-encoded, by content hash (DATA_DIR/media). */
  readonly media: MediaStore;
}

/** How long a shared page is reused, at most (writes, in any process, drop it at once). */
export const READ_CACHE_MS = 1000;

export function createServiceContext(
  parts: Omit<ServiceContext, "urls" | "readCache" | "newContent"> & {
    readonly readCache?: ReadCache;
    readonly newContent?: ContentSignal;
  },
): ServiceContext {
  return {
    ...parts,
    urls: createUrls(parts.origin),
    readCache: parts.readCache ?? createReadCache({ ttlMs: READ_CACHE_MS }),
    newContent: parts.newContent ?? createContentSignal(),
  };
}
