import type { Federation } from "@fedify/fedify";
import { type Recipient, Service } from "@fedify/vocab";
import { type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "../db/schema.ts";
import type { DbHandle } from "../repos/database.ts";
import { listModeratorApIds } from "../repos/moderators.ts";
import { ACTOR_PATH_PREFIX } from "../services/urls.ts";
import { isBlockedActor } from "../views/visibility.ts";
import { findLocalActor, INSTANCE_ACTOR, MODERATORS_COLLECTION } from "./actors.ts";
import { toPostCreate, toPostNote } from "./mappers/to-vocab.ts";
import { countPostsForWire, listPostsForWire } from "./wire-rows.ts";

const OUTBOX_SIZE = 20;

export interface CollectionDeps {
  readonly db: DbHandle;
}

/**
 * followers, following, outbox and featured of every local actor, and each submolt's moderators
 * (served unpaged: Lemmy backfills that way).
 */
export function registerCollections(federation: Federation<void>, deps: CollectionDeps): void {
  federation
    .setFollowersDispatcher(
      `${ACTOR_PATH_PREFIX}{identifier}/followers`,
      async (ctx, identifier) => {
        const items = await localFollowers(deps.db, identifier, ctx.host);
        return items === undefined ? null : { items };
      },
    )
    // totalItems counts what the collection lists (the stored counters also hold blocked actors).
    .setCounter(async (ctx, identifier) => {
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      if (actor === undefined) return null;
      return actor.kind === "agent"
        ? count(followersOfAgentQuery(deps.db, actor.row.id))
        : count(subscribersOfSubmoltQuery(deps.db, actor.row.id));
    });

  federation
    .setFollowingDispatcher(
      `${ACTOR_PATH_PREFIX}{identifier}/following`,
      async (ctx, identifier) => {
        const actor = await findLocalActor(deps.db, identifier, ctx.host);
        if (actor === undefined) return null;
        if (actor.kind === "submolt") return { items: [] };
        const rows = await followingOfAgentQuery(deps.db, actor.row.id)
          .select("agents.ap_id")
          .orderBy("follows.created_at")
          .execute();
        return { items: rows.map((r) => new URL(r.ap_id)) };
      },
    )
    // Accepted follows only: following_count also holds those still waiting for an Accept.
    .setCounter(async (ctx, identifier) => {
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      if (actor === undefined) return null;
      return actor.kind === "agent" ? count(followingOfAgentQuery(deps.db, actor.row.id)) : 0;
    });

  // The newest posts, as the Create activities that published them (unpaged: backfill reads it),
  // and how many there are in all (Mastodon shows it as the post count).
  federation
    .setOutboxDispatcher(`${ACTOR_PATH_PREFIX}{identifier}/outbox`, async (ctx, identifier) => {
      if (identifier === INSTANCE_ACTOR) return { items: [] };
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      if (actor === undefined) return null;
      const posts = await listPostsForWire(
        deps.db,
        actor.kind === "agent" ? { authorId: actor.row.id } : { submoltId: actor.row.id },
        OUTBOX_SIZE,
      );
      return {
        items: posts.map(toPostCreate),
      };
    })
    .setCounter(async (ctx, identifier) => {
      if (identifier === INSTANCE_ACTOR) return 0;
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      if (actor === undefined) return null;
      return countPostsForWire(
        deps.db,
        actor.kind === "agent" ? { authorId: actor.row.id } : { submoltId: actor.row.id },
      );
    });

  // A submolt's pinned posts (an agent features none).
  federation.setFeaturedDispatcher(
    `${ACTOR_PATH_PREFIX}{identifier}/featured`,
    async (ctx, identifier) => {
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      if (actor === undefined) return null;
      if (actor.kind === "agent") return { items: [] };
      const pinned = await listPostsForWire(
        deps.db,
        { submoltId: actor.row.id, pinnedOnly: true },
        OUTBOX_SIZE,
      );
      return { items: pinned.map(toPostNote) };
    },
  );

  // Lemmy reads a community's moderators from its `attributedTo`: actor URLs, never embedded.
  federation
    .setOrderedCollectionDispatcher(
      MODERATORS_COLLECTION,
      Service,
      `${ACTOR_PATH_PREFIX}{identifier}/moderators`,
      async (ctx, { identifier }) => {
        const actor = await findLocalActor(deps.db, identifier, ctx.host);
        if (actor?.kind !== "submolt") return null;
        const ids = await listModeratorApIds(deps.db, actor.row.id);
        // NOTE: Fedify emits URL items as plain ids; its typing only names vocabulary objects.
        return { items: ids.map((id) => new URL(id)) as unknown as Service[] };
      },
    )
    .setCounter(async (ctx, { identifier }) => {
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      return actor?.kind === "submolt"
        ? (await listModeratorApIds(deps.db, actor.row.id)).length
        : null;
    });
}

/**
 * Who receives what a local actor sends to its followers: an agent's accepted followers, a
 * submolt's accepted subscribers, blocked instances and actors left out. Undefined for an actor
 * that is not here (or is suspended).
 */
export async function localFollowers(
  db: DbHandle,
  identifier: string,
  host: string,
): Promise<Recipient[] | undefined> {
  const actor =
    identifier === INSTANCE_ACTOR ? undefined : await findLocalActor(db, identifier, host);
  if (actor === undefined) return undefined;
  return actor.kind === "agent"
    ? followersOfAgent(db, actor.row.id)
    : subscribersOfSubmolt(db, actor.row.id);
}

function followersOfAgentQuery(db: DbHandle, agentId: string) {
  return (
    db
      .selectFrom("follows")
      .innerJoin("agents", "agents.id", "follows.follower_id")
      .where("follows.followee_id", "=", agentId)
      .where("follows.state", "=", "accepted")
      // Deliveries to followers come from this list: blocked instances and actors are left out.
      .where(sql<SqlBool>`not ${isBlockedActor("agents")}`)
  );
}

async function followersOfAgent(db: DbHandle, agentId: string): Promise<Recipient[]> {
  const rows = await followersOfAgentQuery(db, agentId)
    .select(["agents.ap_id", "agents.inbox_url", "agents.shared_inbox_url"])
    .orderBy("follows.created_at")
    .execute();
  return rows.map(toRecipient);
}

function subscribersOfSubmoltQuery(db: DbHandle, submoltId: string) {
  return db
    .selectFrom("subscriptions")
    .innerJoin("agents", "agents.id", "subscriptions.agent_id")
    .where("subscriptions.submolt_id", "=", submoltId)
    .where("subscriptions.state", "=", "accepted")
    .where(sql<SqlBool>`not ${isBlockedActor("agents")}`);
}

async function subscribersOfSubmolt(db: DbHandle, submoltId: string): Promise<Recipient[]> {
  const rows = await subscribersOfSubmoltQuery(db, submoltId)
    .select(["agents.ap_id", "agents.inbox_url", "agents.shared_inbox_url"])
    .orderBy("subscriptions.created_at")
    .execute();
  return rows.map(toRecipient);
}

function followingOfAgentQuery(db: DbHandle, agentId: string) {
  return db
    .selectFrom("follows")
    .innerJoin("agents", "agents.id", "follows.followee_id")
    .where("follows.follower_id", "=", agentId)
    .where("follows.state", "=", "accepted");
}

/** How many rows a collection's query lists (its totalItems). */
async function count<T extends keyof Database>(
  query: SelectQueryBuilder<Database, T, object>,
): Promise<number> {
  const row = await query.select(sql<number | string>`count(*)`.as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

function toRecipient(row: {
  ap_id: string;
  inbox_url: string | null;
  shared_inbox_url: string | null;
}): Recipient {
  return {
    id: new URL(row.ap_id),
    inboxId: row.inbox_url === null ? null : new URL(row.inbox_url),
    endpoints: {
      sharedInbox: row.shared_inbox_url === null ? null : new URL(row.shared_inbox_url),
    },
  };
}
