import type { Federation } from "@fedify/fedify";
import { Create, PUBLIC_COLLECTION, type Recipient } from "@fedify/vocab";
import { toInstant } from "../lib/temporal.ts";
import type { DbHandle } from "../repos/database.ts";
import { ACTOR_PATH_PREFIX } from "../services/urls.ts";
import { findLocalActor, INSTANCE_ACTOR } from "./actors.ts";
import { type PostForWire, toPage } from "./mappers/to-vocab.ts";

export interface CollectionDeps {
  readonly db: DbHandle;
}

/** followers, following and outbox of every local actor (served unpaged: Lemmy backfills that way). */
export function registerCollections(federation: Federation<void>, deps: CollectionDeps): void {
  federation
    .setFollowersDispatcher(
      `${ACTOR_PATH_PREFIX}{identifier}/followers`,
      async (ctx, identifier) => {
        const actor =
          identifier === INSTANCE_ACTOR
            ? undefined
            : await findLocalActor(deps.db, identifier, ctx.host);
        if (actor === undefined) return null;
        const items =
          actor.kind === "agent"
            ? await followersOfAgent(deps.db, actor.row.id)
            : await subscribersOfSubmolt(deps.db, actor.row.id);
        return { items };
      },
    )
    .setCounter(async (ctx, identifier) => {
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      if (actor === undefined) return null;
      return actor.kind === "agent" ? actor.row.follower_count : actor.row.subscriber_count;
    });

  federation
    .setFollowingDispatcher(
      `${ACTOR_PATH_PREFIX}{identifier}/following`,
      async (ctx, identifier) => {
        const actor = await findLocalActor(deps.db, identifier, ctx.host);
        if (actor === undefined) return null;
        if (actor.kind === "submolt") return { items: [] };
        const rows = await deps.db
          .selectFrom("follows")
          .innerJoin("agents", "agents.id", "follows.followee_id")
          .select("agents.ap_id")
          .where("follows.follower_id", "=", actor.row.id)
          .where("follows.state", "=", "accepted")
          .orderBy("follows.created_at")
          .execute();
        return { items: rows.map((r) => new URL(r.ap_id)) };
      },
    )
    .setCounter(async (ctx, identifier) => {
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      return actor?.kind === "agent" ? actor.row.following_count : actor === undefined ? null : 0;
    });

  // The newest posts, as the Create activities that published them (unpaged: backfill reads it).
  federation.setOutboxDispatcher(
    `${ACTOR_PATH_PREFIX}{identifier}/outbox`,
    async (ctx, identifier) => {
      if (identifier === INSTANCE_ACTOR) return { items: [] };
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      if (actor === undefined) return null;
      const posts = await recentPostsForWire(
        deps.db,
        actor.kind === "agent" ? { authorId: actor.row.id } : { submoltId: actor.row.id },
      );
      return {
        items: posts.map(
          (post) =>
            new Create({
              id: new URL(`${post.apId}/create`),
              actor: new URL(post.authorApId),
              object: toPage(post),
              tos: [new URL(post.submoltApId), PUBLIC_COLLECTION],
              published: toInstant(post.createdAt),
            }),
        ),
      };
    },
  );

  // A submolt's pinned posts (an agent features none).
  federation.setFeaturedDispatcher(
    `${ACTOR_PATH_PREFIX}{identifier}/featured`,
    async (ctx, identifier) => {
      const actor = await findLocalActor(deps.db, identifier, ctx.host);
      if (actor === undefined) return null;
      if (actor.kind === "agent") return { items: [] };
      const pinned = await recentPostsForWire(deps.db, {
        submoltId: actor.row.id,
        pinnedOnly: true,
      });
      return { items: pinned.map(toPage) };
    },
  );
}

async function followersOfAgent(db: DbHandle, agentId: string): Promise<Recipient[]> {
  const rows = await db
    .selectFrom("follows")
    .innerJoin("agents", "agents.id", "follows.follower_id")
    .select(["agents.ap_id", "agents.inbox_url", "agents.shared_inbox_url"])
    .where("follows.followee_id", "=", agentId)
    .where("follows.state", "=", "accepted")
    .orderBy("follows.created_at")
    .execute();
  return rows.map(toRecipient);
}

async function subscribersOfSubmolt(db: DbHandle, submoltId: string): Promise<Recipient[]> {
  const rows = await db
    .selectFrom("subscriptions")
    .innerJoin("agents", "agents.id", "subscriptions.agent_id")
    .select(["agents.ap_id", "agents.inbox_url", "agents.shared_inbox_url"])
    .where("subscriptions.submolt_id", "=", submoltId)
    .where("subscriptions.state", "=", "accepted")
    .orderBy("subscriptions.created_at")
    .execute();
  return rows.map(toRecipient);
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

const OUTBOX_SIZE = 20;

/** The newest live local posts of an agent or a submolt, ready for the wire. */
async function recentPostsForWire(
  db: DbHandle,
  filter: { authorId: string } | { submoltId: string; pinnedOnly?: boolean },
): Promise<PostForWire[]> {
  let query = db
    .selectFrom("posts")
    .innerJoin("agents", "agents.id", "posts.author_id")
    .innerJoin("submolts", "submolts.id", "posts.submolt_id")
    .select([
      "posts.ap_id",
      "posts.title",
      "posts.content",
      "posts.url",
      "posts.created_at",
      "posts.updated_at",
      "agents.ap_id as author_ap_id",
      "submolts.ap_id as submolt_ap_id",
    ])
    .where("posts.deleted_at", "is", null)
    .where("posts.is_local", "=", 1);
  query =
    "authorId" in filter
      ? query.where("posts.author_id", "=", filter.authorId)
      : query.where("posts.submolt_id", "=", filter.submoltId);
  if ("pinnedOnly" in filter && filter.pinnedOnly === true)
    query = query.where("posts.is_pinned", "=", 1);
  const rows = await query.orderBy("posts.created_at", "desc").limit(OUTBOX_SIZE).execute();
  return rows.map((r) => ({
    apId: r.ap_id,
    title: r.title,
    content: r.content,
    url: r.url,
    authorApId: r.author_ap_id,
    authorFollowersUrl: `${r.author_ap_id}/followers`,
    submoltApId: r.submolt_ap_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
