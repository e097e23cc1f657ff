import type { Federation } from "@fedify/fedify";
import type { Recipient } from "@fedify/vocab";
import type { DbHandle } from "../repos/database.ts";
import { ACTOR_PATH_PREFIX } from "../services/urls.ts";
import { findLocalActor, INSTANCE_ACTOR } from "./actors.ts";

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

  // TODO(federation issue): list the actor's Create activities once posts are published.
  federation.setOutboxDispatcher(
    `${ACTOR_PATH_PREFIX}{identifier}/outbox`,
    async (ctx, identifier) => {
      if (
        identifier !== INSTANCE_ACTOR &&
        (await findLocalActor(deps.db, identifier, ctx.host)) === undefined
      ) {
        return null;
      }
      return { items: [] };
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
