import { type Article, type Note, type Page, PUBLIC_COLLECTION } from "@fedify/vocab";
import type { AgentRow } from "../../db/schema.ts";
import { hasLocalFollower } from "../../repos/follows.ts";
import { receiveRemotePost } from "../../services/remote-content.ts";
import { findOrStoreAgent } from "../directory.ts";
import { fromPost } from "../mappers/from-vocab.ts";
import { APPLIED, type InboxDeps, ignored, type Verdict } from "./deps.ts";

// A person's own posts (Mastodon statuses, Articles): posts outside any submolt, kept when a
// local agent follows their author (for its personal feed), or when a followed person boosted
// them (inbox/boosts.ts). Never in the shared feeds (views/feed.ts).

/**
 * A top-level post (replying to nothing, in no submolt) by `actorId`, delivered by `activityId`:
 * stored if a local agent follows its author.
 */
export async function storeTimelinePost(
  deps: InboxDeps,
  status: Note | Article | Page,
  actorId: URL,
  activityId: URL | null,
): Promise<Verdict> {
  const author = await authorOf(deps, status, actorId);
  if (typeof author === "string") return ignored(author);
  if (!(await hasLocalFollower(deps.services.db, author.id)))
    return ignored("a post outside submolts by someone no local agent follows");
  return storeStatus(deps, status, author, activityId);
}

/**
 * A post outside submolts by `actorId`, stored whoever follows its author (a followed person
 * boosted it). Its id must be on its author's origin, and it must be public: posts here are
 * readable by anyone.
 */
export async function storeBoostedStatus(
  deps: InboxDeps,
  status: Note | Article | Page,
  actorId: URL,
): Promise<Verdict> {
  const author = await authorOf(deps, status, actorId);
  if (typeof author === "string") return ignored(author);
  return storeStatus(deps, status, author, null);
}

/** The author's agent row, or why the status cannot be taken as theirs. */
async function authorOf(
  deps: InboxDeps,
  status: Note | Article | Page,
  actorId: URL,
): Promise<AgentRow | string> {
  if (status.id === null || status.id.origin !== actorId.origin)
    return "the post is not on its author's origin";
  if (status.attributionId?.href !== actorId.href) return "the post is attributed to someone else";
  const author = await findOrStoreAgent(deps.directory, actorId, () => status.getAttribution());
  return author ?? "its author could not be resolved";
}

async function storeStatus(
  deps: InboxDeps,
  status: Note | Article | Page,
  author: AgentRow,
  activityId: URL | null,
): Promise<Verdict> {
  if (!isPublic(status))
    return ignored("not public (followers-only or direct): posts here are readable by anyone");
  const fields = await fromPost(status);
  const stored = await receiveRemotePost(deps.services, {
    ...fields,
    apId: (status.id as URL).href,
    activityApId: activityId?.href ?? null,
    author,
    submolt: null,
    publishedAt: fields.publishedAt ?? deps.services.clock.now(),
  });
  if (stored === "stored") return APPLIED;
  return ignored(
    stored === "known" ? "the post is known already" : "its author is over its hourly allowance",
  );
}

/** Public in `to` or `cc` (Mastodon's public and unlisted). */
export function isPublic(object: Note | Article | Page): boolean {
  return [...object.toIds, ...object.ccIds].some((id) => id.href === PUBLIC_COLLECTION.href);
}
