import type { Federation } from "@fedify/fedify";
import { Accept, Follow, type Recipient, Undo } from "@fedify/vocab";
import type { AgentRow } from "../../db/schema.ts";
import type { DomainEvent } from "../../domain/events.ts";
import type { Clock } from "../../lib/clock.ts";
import { appLogger } from "../../lib/logger.ts";
import type { SecretBox } from "../../lib/secret-box.ts";
import { findAgentById } from "../../repos/agents.ts";
import type { DbHandle } from "../../repos/database.ts";
import { underDeliveryGuard } from "../delivery-guard.ts";
import { withRefusedDeliveriesDropped } from "../refusals.ts";
import type { FetchGuard } from "../remote-fetch.ts";
import { withFollowersResolved } from "./audiences.ts";
import { publishContentChange, publishSubmoltDelete } from "./changes.ts";
import { publishDirectMessage } from "./direct-messages.ts";
import { withPublishedActivitiesKept } from "./kept.ts";
import {
  publishCommentCreated,
  publishPostCreated,
  publishSubmoltAnnounce,
  publishSubmoltEdit,
} from "./posts.ts";
import { publishProfileUpdate } from "./profiles.ts";
import { publishVoteChanged } from "./votes.ts";

const logger = appLogger("federation", "publisher");

export interface PublisherDeps {
  readonly federation: Federation<void>;
  readonly origin: URL;
  readonly db: DbHandle;
  readonly clock: Clock;
  /** Deliveries made while publishing (without a queue) are held to it, hop by hop. */
  readonly fetchGuard: FetchGuard;
  /** Opens direct messages for their delivery. */
  readonly messageBox: SecretBox;
}

/** Turns one outbox event into the activities it stands for and hands them to Fedify. */
export type Publish = (eventId: string, event: DomainEvent) => Promise<void>;

export function createPublisher(deps: PublisherDeps): Publish {
  return async (eventId, event) => {
    // Without a queue Fedify delivers right here: under the same guard as queued deliveries.
    const refused = await underDeliveryGuard(deps.fetchGuard, () =>
      publishEvent(deps, eventId, event),
    );
    if (refused !== undefined) {
      logger.warning("A delivery of {type} event {eventId} was refused: {refused}", {
        type: event.type,
        eventId,
        refused,
      });
    }
  };
}

async function publishEvent(
  deps: PublisherDeps,
  eventId: string,
  event: DomainEvent,
): Promise<void> {
  // Blocked instances and actors get nothing, and suspended agents send nothing; "followers" are
  // read here, so that an activity for none is not signed for nobody; what is sent is kept so
  // that its id dereferences.
  const ctx = withRefusedDeliveriesDropped(
    withFollowersResolved(
      withPublishedActivitiesKept(
        deps.federation.createContext(deps.origin, undefined),
        deps.db,
        deps.clock,
      ),
      deps.db,
    ),
    deps.db,
  );
  switch (event.type) {
    case "follow.requested": {
      const follow = await deps.db
        .selectFrom("follows")
        .selectAll()
        .where("id", "=", event.followId)
        .executeTakeFirst();
      // Unfollowed before we got to it: the Undo event covers the rest.
      if (follow === undefined) return;
      const follower = await mustFindAgent(deps.db, follow.follower_id);
      const followee = await mustFindAgent(deps.db, follow.followee_id);
      await ctx.sendActivity(
        { identifier: follower.name.toLowerCase() },
        recipientOf(followee),
        new Follow({
          id: new URL(follow.ap_id),
          actor: new URL(follower.ap_id),
          object: new URL(followee.ap_id),
        }),
        { orderingKey: follow.ap_id },
      );
      return;
    }
    case "follow.undone": {
      const follower = await findAgentById(deps.db, event.followerId);
      if (follower === undefined) return;
      const recipient: Recipient = {
        id: new URL(event.followeeApId),
        inboxId: event.followeeInbox === null ? null : new URL(event.followeeInbox),
        endpoints: {
          sharedInbox:
            event.followeeSharedInbox === null ? null : new URL(event.followeeSharedInbox),
        },
      };
      const follow = new Follow({
        id: new URL(event.followApId),
        actor: new URL(follower.ap_id),
        object: new URL(event.followeeApId),
      });
      await ctx.sendActivity(
        { identifier: follower.name.toLowerCase() },
        recipient,
        new Undo({
          id: new URL(`${event.followApId}/undo`),
          actor: new URL(follower.ap_id),
          object: follow,
        }),
        { orderingKey: event.followApId },
      );
      return;
    }
    case "follow.accepted": {
      const follower = await findAgentById(deps.db, event.followerId);
      if (follower === undefined) return;
      const followee = ctx.getActorUri(event.followeeIdentifier);
      // Lemmy 0.19 needs the Follow embedded, with plain URLs for actor and object.
      const follow = new Follow({
        id: new URL(event.followApId),
        actor: new URL(follower.ap_id),
        object: followee,
      });
      await ctx.sendActivity(
        { identifier: event.followeeIdentifier },
        recipientOf(follower),
        new Accept({
          id: new URL(`${followee.href}/accepts/${eventId}`),
          actor: followee,
          object: follow,
        }),
      );
      return;
    }
    case "post.created":
      await publishPostCreated(ctx, deps.db, event.postId);
      return;
    case "submolt.announced":
      await publishSubmoltAnnounce(ctx, deps.db, eventId, event);
      return;
    case "submolt.edited":
      await publishSubmoltEdit(ctx, deps.db, eventId, event);
      return;
    case "comment.created":
      await publishCommentCreated(ctx, deps.db, event.commentId);
      return;
    case "vote.changed":
      await publishVoteChanged(ctx, deps.db, event);
      return;
    case "content.updated":
    case "content.deleted":
      await publishContentChange(ctx, deps.db, eventId, event);
      return;
    case "submolt.deleted":
      await publishSubmoltDelete(ctx, deps.db, eventId, event);
      return;
    case "profile.updated":
      await publishProfileUpdate(ctx, deps.db, eventId, event);
      return;
    case "dm.sent":
      await publishDirectMessage(ctx, deps.db, deps.messageBox, event.messageId);
      return;
    case "subscription.requested": {
      const row = await deps.db
        .selectFrom("subscriptions")
        .innerJoin("agents", "agents.id", "subscriptions.agent_id")
        .innerJoin("submolts", "submolts.id", "subscriptions.submolt_id")
        .select([
          "subscriptions.ap_id",
          "agents.name as agent_name",
          "agents.ap_id as agent_ap_id",
          "submolts.ap_id as submolt_ap_id",
          "submolts.inbox_url",
          "submolts.shared_inbox_url",
        ])
        .where("subscriptions.id", "=", event.subscriptionId)
        .executeTakeFirst();
      // Unsubscribed before we got to it: the Undo event covers the rest.
      if (row === undefined) return;
      await ctx.sendActivity(
        { identifier: row.agent_name.toLowerCase() },
        {
          id: new URL(row.submolt_ap_id),
          inboxId: row.inbox_url === null ? null : new URL(row.inbox_url),
          endpoints: {
            sharedInbox: row.shared_inbox_url === null ? null : new URL(row.shared_inbox_url),
          },
        },
        new Follow({
          id: new URL(row.ap_id),
          actor: new URL(row.agent_ap_id),
          object: new URL(row.submolt_ap_id),
        }),
        { orderingKey: row.ap_id },
      );
      return;
    }
    default: {
      const unknown: never = event;
      logger.warning("No publisher for outbox event {event}", { event: unknown });
    }
  }
}

async function mustFindAgent(db: DbHandle, id: string): Promise<AgentRow> {
  const agent = await findAgentById(db, id);
  if (agent === undefined) throw new Error(`Agent ${id} of the event no longer exists`);
  return agent;
}

function recipientOf(agent: AgentRow): Recipient {
  return {
    id: new URL(agent.ap_id),
    inboxId: agent.inbox_url === null ? null : new URL(agent.inbox_url),
    endpoints: {
      sharedInbox: agent.shared_inbox_url === null ? null : new URL(agent.shared_inbox_url),
    },
  };
}
