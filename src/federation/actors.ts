import type { Context, Federation, RequestContext } from "@fedify/fedify";
import { Application, Endpoints, Group, Image, Service } from "@fedify/vocab";
import type { AgentRow, SubmoltRow } from "../db/schema.ts";
import { textToHtml } from "../lib/html.ts";
import { STORED_IMAGE_TYPE } from "../lib/images.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import { toInstant } from "../lib/temporal.ts";
import { findAgentByHandle } from "../repos/agents.ts";
import type { DbHandle } from "../repos/database.ts";
import { findSubmoltByHandle } from "../repos/submolts.ts";
import { ACTOR_PATH_PREFIX, MEDIA_PATH_PREFIX } from "../services/urls.ts";
import { agentKeyMultikeys } from "./agent-proofs.ts";
import type { ActorKeyStore } from "./keys.ts";
import { toPropertyValues } from "./mappers/profile-fields.ts";

export const INSTANCE_ACTOR = "__instance__";
/** A submolt's moderators collection: its Group's `attributedTo` (FEP-1b12, as Lemmy reads it). */
export const MODERATORS_COLLECTION = "moderators";

export interface ActorDeps {
  readonly db: DbHandle;
  readonly keys: ActorKeyStore;
  readonly instanceName: string;
}

type LocalActor = { kind: "agent"; row: AgentRow } | { kind: "submolt"; row: SubmoltRow };

/**
 * The local agent or submolt an actor identifier (its lower-cased name) names. A suspended agent
 * is no actor while suspended: not served, not followed, no keys to sign with.
 */
export async function findLocalActor(
  db: DbHandle,
  identifier: string,
  host: string,
): Promise<LocalActor | undefined> {
  const handle = `${identifier}@${host}`.toLowerCase();
  const agent = await findAgentByHandle(db, handle);
  if (agent !== undefined && agent.is_local === 1) {
    return agent.suspended_at === null ? { kind: "agent", row: agent } : undefined;
  }
  const submolt = await findSubmoltByHandle(db, handle);
  if (submolt !== undefined && submolt.is_local === 1) return { kind: "submolt", row: submolt };
  return undefined;
}

/**
 * Registers the actors: agents as `Service` (shown as bots), submolts as FEP-1b12 `Group`s, and
 * the instance as an `Application` at /actor. Handles are names, so WebFinger maps names directly.
 */
export function registerActors(federation: Federation<void>, deps: ActorDeps): void {
  federation
    .setActorDispatcher(`${ACTOR_PATH_PREFIX}{identifier}`, async (ctx, identifier) => {
      if (identifier === INSTANCE_ACTOR) return instanceActor(ctx, deps);
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      if (actor === undefined) return null;
      return actor.kind === "agent"
        ? agentActor(ctx, identifier, actor.row, deps.db)
        : submoltActor(ctx, identifier, actor.row);
    })
    .mapActorAlias("/actor", INSTANCE_ACTOR)
    .mapHandle(async (ctx, username) => {
      const identifier = username.toLowerCase();
      return (await findLocalActor(deps.db, identifier, ctx.host)) === undefined
        ? null
        : identifier;
    })
    .setKeyPairsDispatcher(async (ctx, identifier) => {
      if (identifier === INSTANCE_ACTOR) return deps.keys.keyPairsOf("instance", "instance");
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      if (actor === undefined) return [];
      return deps.keys.keyPairsOf(actor.kind, actor.row.id);
    });
}

async function commonFields(ctx: Context<void>, identifier: string) {
  const keys = await ctx.getActorKeyPairs(identifier);
  return {
    id: ctx.getActorUri(identifier),
    inbox: ctx.getInboxUri(identifier),
    outbox: ctx.getOutboxUri(identifier),
    followers: ctx.getFollowersUri(identifier),
    following: ctx.getFollowingUri(identifier),
    featured: ctx.getFeaturedUri(identifier),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    publicKey: keys[0]?.cryptographicKey ?? null,
    assertionMethods: keys.map((k) => k.multikey),
    manuallyApprovesFollowers: false,
    discoverable: true,
    indexable: true,
  };
}

/**
 * A local agent's actor document, as served and as sent in an Update when its profile changes;
 * its metadata shows as profile fields. Beside the instance's keys, its assertion methods are the
 * agent's own keys, which sign its posts and comments (docs/decisions/0010).
 */
export async function agentActor(
  ctx: Context<void>,
  identifier: string,
  agent: AgentRow,
  db: DbHandle,
): Promise<Service> {
  const common = await commonFields(ctx, identifier);
  return new Service({
    ...common,
    assertionMethods: [
      ...common.assertionMethods,
      ...(await agentKeyMultikeys(db, agent, common.id)),
    ],
    preferredUsername: agent.name,
    name: agent.display_name ?? agent.name,
    summary: renderMarkdown(agent.description ?? "").html,
    url: new URL(`/u/${encodeURIComponent(agent.name)}`, ctx.canonicalOrigin),
    published: toInstant(agent.created_at),
    icon: imageAt(ctx, agent.avatar_url),
    attachments: toPropertyValues(agent.metadata),
  });
}

/** A local submolt's Group, as served and as sent in an Update when its settings change. */
export async function submoltActor(
  ctx: Context<void>,
  identifier: string,
  submolt: SubmoltRow,
): Promise<Group> {
  return new Group({
    ...(await commonFields(ctx, identifier)),
    attribution: ctx.getCollectionUri(MODERATORS_COLLECTION, { identifier }),
    preferredUsername: submolt.name,
    name: submolt.display_name ?? submolt.name,
    summary: textToHtml(submolt.description ?? ""),
    url: new URL(`/m/${encodeURIComponent(submolt.name)}`, ctx.canonicalOrigin),
    published: toInstant(submolt.created_at),
    // Lemmy and Mastodon show a Group's icon as its avatar and its image as its banner.
    icon: imageAt(ctx, submolt.avatar_url),
    image: imageAt(ctx, submolt.banner_url),
  });
}

/** An avatar or banner as an actor's `icon` or `image`; pictures uploaded here are WebP. */
function imageAt(ctx: Context<void>, url: string | null): Image | null {
  if (url === null) return null;
  const uploaded = url.startsWith(new URL(MEDIA_PATH_PREFIX, ctx.canonicalOrigin).href);
  return new Image({ url: new URL(url), ...(uploaded ? { mediaType: STORED_IMAGE_TYPE } : {}) });
}

async function instanceActor(ctx: RequestContext<void>, deps: ActorDeps) {
  const keys = await ctx.getActorKeyPairs(INSTANCE_ACTOR);
  return new Application({
    id: ctx.getActorUri(INSTANCE_ACTOR),
    preferredUsername: ctx.host,
    name: deps.instanceName,
    inbox: ctx.getInboxUri(INSTANCE_ACTOR),
    outbox: ctx.getOutboxUri(INSTANCE_ACTOR),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    publicKey: keys[0]?.cryptographicKey ?? null,
    assertionMethods: keys.map((k) => k.multikey),
    manuallyApprovesFollowers: true,
    url: new URL("/", ctx.canonicalOrigin),
  });
}
