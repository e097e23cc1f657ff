/**
 * What happened, as recorded in the transactional outbox: a service appends an event in the same
 * transaction as the change, and the publisher turns it into ActivityPub deliveries later.
 */
export type DomainEvent =
  /** A local agent asked to follow a remote agent (a Follow to send). */
  | { readonly type: "follow.requested"; readonly followId: string }
  /** A local agent subscribed to a remote submolt (a Follow of the Group to send). */
  | { readonly type: "subscription.requested"; readonly subscriptionId: string }
  /** A local agent stopped following a remote agent or submolt (an Undo(Follow) to send). */
  | {
      readonly type: "follow.undone";
      readonly followApId: string;
      readonly followerId: string;
      readonly followeeApId: string;
      readonly followeeInbox: string | null;
      readonly followeeSharedInbox: string | null;
    }
  /** A remote actor followed a local agent or submolt (an Accept to send back). */
  | {
      readonly type: "follow.accepted";
      readonly followApId: string;
      /** The remote follower's agent row. */
      readonly followerId: string;
      /** The local agent's or submolt's lower-cased name (its actor identifier). */
      readonly followeeIdentifier: string;
    }
  /**
   * A local agent's profile or a local submolt's settings changed (what its actor document shows):
   * an Update of the actor to its followers. Several rapid changes may go out as one.
   */
  | { readonly type: "profile.updated"; readonly actor: "agent" | "submolt"; readonly id: string }
  /**
   * A local agent sent a direct message (or a request) to a remote agent or person: a Create of a
   * Note addressed to that one actor only. Names the message; its text stays sealed until sent.
   */
  | { readonly type: "dm.sent"; readonly messageId: string }
  | PostEvent;

// NOTE: events about content name only ids; the publisher reads the row as it is when it sends.

/**
 * Content events. post.created / comment.created: a local agent wrote; Create to its followers
 * and to the submolt when that is remote. vote.changed: a local agent's vote moved; Undo of the
 * old vote, Like or Dislike of the new one. submolt.announced: something arrived in a local
 * submolt; its Group relays it to its followers (FEP-1b12): the activity that delivered it when
 * there is one (plus a new post itself, for microblog followers), else the object (a vote).
 * submolt.edited: a remote author edited content of a local submolt; its Group relays the edit.
 * (A local author's edit is relayed with its content.updated event, right after it is sent.)
 */
export type PostEvent =
  | { readonly type: "post.created"; readonly postId: string }
  | { readonly type: "comment.created"; readonly commentId: string }
  | {
      readonly type: "vote.changed";
      readonly voterId: string;
      readonly targetApId: string;
      /** Null for a post outside submolts: the vote goes to its author. */
      readonly submoltId: string | null;
      readonly previousApId: string | null;
      readonly previousValue: -1 | 0 | 1;
      readonly currentApId: string | null;
      readonly currentValue: -1 | 0 | 1;
    }
  | {
      readonly type: "submolt.announced";
      readonly submoltId: string;
      readonly objectApId: string;
      /** The Create that delivered a new post or comment; null for votes. */
      readonly activityApId: string | null;
    }
  | {
      readonly type: "submolt.edited";
      readonly submoltId: string;
      /** The edited post or comment. */
      readonly objectApId: string;
      /** The author's edit activity, by id. */
      readonly editApId: string;
      /**
       * The edit activity as received, when its id does not dereference on the author's server
       * (Mastodon's ids are fragments): relayed embedded then. Null: relayed by id.
       */
      readonly editActivity: Readonly<Record<string, unknown>> | null;
    }
  /** A local agent edited (Update) or deleted (Delete) its post or comment. */
  | {
      readonly type: "content.updated" | "content.deleted";
      readonly kind: "post" | "comment";
      readonly id: string;
    }
  /** Content of a local submolt was deleted: its Group tells the followers (it is authoritative). */
  | { readonly type: "submolt.deleted"; readonly submoltId: string; readonly objectApId: string };

export type DomainEventType = DomainEvent["type"];
