import type { Context, Federation } from "@fedify/fedify";
import {
  type Actor,
  Article,
  Group,
  getActorTypeName,
  type Image,
  isActor,
  Note,
  Page,
  PUBLIC_COLLECTION,
} from "@fedify/vocab";
import type { AgentRow, SubmoltRow } from "../db/schema.ts";
import { uuidv7 } from "../domain/ids.ts";
import { REMOTE_TEXT_LIMITS } from "../domain/limits.ts";
import { stripInvisibles, toHandle, toRemoteName } from "../domain/names.ts";
import type { Clock } from "../lib/clock.ts";
import { appLogger } from "../lib/logger.ts";
import { findAgentByApId } from "../repos/agents.ts";
import type { DbHandle } from "../repos/database.ts";
import { upsertRemoteAgent, upsertRemoteSubmolt } from "../repos/remote-agents.ts";
import type { RemoteDirectory } from "../services/ports.ts";
import { INSTANCE_ACTOR } from "./actors.ts";
import { fetchRemoteObject, type Loaders, lookupHandle } from "./lookup.ts";
import { remoteHtmlToText, remoteSafeHtml } from "./mappers/from-vocab.ts";
import { RemoteUnreachable, unlessGone, watchLoader } from "./reach.ts";
import { type FetchGuard, isPublicUrl } from "./remote-fetch.ts";

const logger = appLogger("federation", "directory");

export interface DirectoryDeps {
  readonly federation: Federation<void>;
  readonly origin: URL;
  readonly db: DbHandle;
  readonly clock: Clock;
  readonly fetchGuard: FetchGuard;
}

/** Looks remote actors up with Fedify (WebFinger for handles) and keeps them as agent rows. */
export function createRemoteDirectory(deps: DirectoryDeps): RemoteDirectory {
  const lookUp = async (reference: { name: string; host: string } | URL) => {
    const loaders = contextLoaders(deps);
    try {
      return reference instanceof URL
        ? await fetchRemoteObject(reference, loaders)
        : await lookupHandle(deps.fetchGuard, loaders, reference);
    } catch (error) {
      logger.info("Could not look up {reference}: {error}", {
        reference: String(reference),
        error,
      });
      return null;
    }
  };
  return {
    async resolveAgent(reference) {
      const actor = await lookUp(reference);
      if (!isActor(actor) || actor instanceof Group || actor.id === null) return undefined;
      return storeActor(deps, actor);
    },
    async resolveSubmolt(reference) {
      const group = await lookUp(reference);
      if (!(group instanceof Group) || group.id === null) return undefined;
      return storeGroup(deps, group);
    },
    fetchPost: (url) => fetchPost(deps, url),
  };
}

/** A post and its author, as its own server serves them to our instance actor (signed). */
async function fetchPost(deps: DirectoryDeps, url: URL) {
  const context = deps.federation.createContext(deps.origin, undefined);
  const signed = watchLoader(await context.getDocumentLoader({ identifier: INSTANCE_ACTOR }));
  const loaders = { documentLoader: signed.loader, contextLoader: context.contextLoader };
  try {
    const post = await fetchRemoteObject(url, loaders);
    signed.assertReached(url.href);
    if (
      !(post instanceof Note || post instanceof Article || post instanceof Page) ||
      post.id === null
    )
      return "not_found";
    const authorIds = post.attributionIds;
    const authorId = authorIds.length === 1 ? authorIds[0] : undefined;
    // An author on another origin is refused anyway: no need to fetch from a third server.
    const author =
      authorId === undefined || authorId.origin !== post.id.origin
        ? null
        : await fetchRemoteObject(authorId, loaders);
    signed.assertReached(authorId?.href ?? url.href);
    const audience = [...post.toIds, ...post.ccIds];
    return {
      id: post.id,
      authorId,
      authorIsActor: isActor(author) && author.id?.href === authorId?.href,
      authorType: isActor(author) ? getActorTypeName(author) : undefined,
      text: remoteHtmlToText(post.content, REMOTE_TEXT_LIMITS.postContent),
      isPublic: audience.some((id) => id.href === PUBLIC_COLLECTION.href),
    };
  } catch (error) {
    logger.info("Could not fetch post {url}: {error}", { url: url.href, error });
    return error instanceof RemoteUnreachable ? "unreachable" : "not_found";
  }
}

/** The instance's (cached, guarded) loaders, as Fedify hands them to its own lookups. */
export function contextLoaders(deps: DirectoryDeps): Loaders {
  const context: Context<void> = deps.federation.createContext(deps.origin, undefined);
  return { documentLoader: context.documentLoader, contextLoader: context.contextLoader };
}

/** Stores a fetched actor as a remote agent row, refusing inboxes on private addresses. */
export async function storeActor(deps: DirectoryDeps, actor: Actor): Promise<AgentRow | undefined> {
  const apId = actor.id;
  if (apId === null || apId.origin === deps.origin.origin) return undefined;
  const name = toRemoteName(actor.preferredUsername?.toString(), apId);
  const inbox = await publicUrlOrNull(deps, actor.inboxId);
  const sharedInbox = await publicUrlOrNull(deps, actor.endpoints?.sharedInbox ?? null);
  const iconUrl = pictureUrl(await actor.getIcon().catch(() => null));
  return upsertRemoteAgent(deps.db, {
    id: uuidv7(),
    apId: apId.href,
    name,
    host: apId.host,
    handle: toHandle(name, apId.host),
    actorType: getActorTypeName(actor),
    displayName: displayNameOf(actor),
    description: remoteHtmlToText(actor.summary, REMOTE_TEXT_LIMITS.description),
    descriptionHtml: remoteSafeHtml(actor.summary, REMOTE_TEXT_LIMITS.description),
    avatarUrl: iconUrl,
    inboxUrl: inbox,
    sharedInboxUrl: sharedInbox,
    now: deps.clock.now().toISOString(),
  });
}

/**
 * Where an actor's icon or image is: shown by its URL on pages (not proxied), so only a web URL
 * is kept (a `javascript:` or `data:` one is not).
 */
function pictureUrl(image: Image | null): string | null {
  const url = image?.url;
  return url instanceof URL && (url.protocol === "https:" || url.protocol === "http:")
    ? url.href
    : null;
}

/** A remote actor's display name, without the invisibles and bidi controls that would disguise it. */
function displayNameOf(actor: Actor): string | null {
  const raw = actor.name?.toString().slice(0, REMOTE_TEXT_LIMITS.displayName) ?? "";
  const name = stripInvisibles(raw).trim();
  return name === "" ? null : name;
}

/**
 * The agent row of a remote actor: known already, or dereferenced with `fetch` (the activity's
 * or object's own getter, so Fedify's origin rules apply) and stored.
 */
export async function findOrStoreAgent(
  deps: DirectoryDeps,
  id: URL,
  fetch: () => Promise<unknown>,
): Promise<AgentRow | undefined> {
  const known = await findAgentByApId(deps.db, id.href);
  if (known !== undefined) return known;
  const actor = await unlessGone(fetch());
  return isActor(actor) && actor.id?.href === id.href ? storeActor(deps, actor) : undefined;
}

/**
 * Fedify delivers to whatever inbox an actor names; an inbox on a private address would let any
 * remote actor aim our server at internal services, so such inboxes are not stored.
 */
async function publicUrlOrNull(deps: DirectoryDeps, url: URL | null): Promise<string | null> {
  if (url === null) return null;
  if (await isPublicUrl(deps.fetchGuard, url)) return url.href;
  logger.warning("Ignored non-public inbox {url}", { url: url.href });
  return null;
}

/** Looks a remote group up by its id and keeps it as a (remote) submolt row. */
export async function resolveGroup(deps: DirectoryDeps, id: URL): Promise<SubmoltRow | undefined> {
  let group: unknown;
  try {
    group = await fetchRemoteObject(id, contextLoaders(deps));
  } catch (error) {
    logger.info("Could not look up group {id}: {error}", { id: id.href, error });
    return undefined;
  }
  if (!(group instanceof Group) || group.id === null || group.id.href !== id.href) return undefined;
  return storeGroup(deps, group);
}

/** Stores a fetched group as a remote submolt row, refusing inboxes on private addresses. */
export async function storeGroup(
  deps: DirectoryDeps,
  group: Group,
): Promise<SubmoltRow | undefined> {
  const id = group.id;
  if (id === null || id.origin === deps.origin.origin) return undefined;
  const name = toRemoteName(group.preferredUsername?.toString(), id);
  return upsertRemoteSubmolt(deps.db, {
    id: uuidv7(),
    apId: id.href,
    name,
    host: id.host,
    handle: toHandle(name, id.host),
    displayName: displayNameOf(group),
    description: remoteHtmlToText(group.summary, REMOTE_TEXT_LIMITS.description),
    avatarUrl: pictureUrl(await group.getIcon().catch(() => null)),
    bannerUrl: pictureUrl(await group.getImage().catch(() => null)),
    inboxUrl: await publicUrlOrNull(deps, group.inboxId),
    sharedInboxUrl: await publicUrlOrNull(deps, group.endpoints?.sharedInbox ?? null),
    followersUrl: group.followersId?.href ?? null,
    now: deps.clock.now().toISOString(),
  });
}
