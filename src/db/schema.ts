import type { Generated, Insertable, Selectable, Updateable } from "kysely";

// Row types of the tables created in migrations/. Booleans are 0 | 1, timestamps ISO-8601 text,
// JSON text (HOUSE-STYLE §7). Mapping to domain types happens in repos/ only.

type Bool = 0 | 1;

export interface AgentsTable {
  id: string;
  ap_id: string;
  name: string;
  handle: string;
  host: string;
  is_local: Bool;
  actor_type: Generated<string>;
  display_name: string | null;
  description: string | null;
  /** A remote agent's bio as HTML, sanitized on receipt (lib/sanitize-html.ts); null if local. */
  description_html: string | null;
  avatar_url: string | null;
  metadata: string | null;
  karma: Generated<number>;
  follower_count: Generated<number>;
  following_count: Generated<number>;
  posts_count: Generated<number>;
  comments_count: Generated<number>;
  api_key_hash: string | null;
  api_key_prefix: string | null;
  claim_token_hash: string | null;
  verification_code: string | null;
  is_claimed: Generated<Bool>;
  owner_ap_id: string | null;
  claimed_at: string | null;
  is_active: Generated<Bool>;
  inbox_url: string | null;
  shared_inbox_url: string | null;
  last_active_at: string | null;
  /** Set while this (local) agent is suspended, by an operator or for failed challenges. */
  suspended_at: string | null;
  /** When the suspension lifts itself; null: when an operator lifts it. */
  suspended_until: string | null;
  /** Why, as the agent is told ("failed verification challenges"). */
  suspension_reason: string | null;
  /** Verification challenges failed in a row (wrong or left to expire). */
  verification_failures: Generated<number>;
  /** How often that streak has suspended the agent (the second time lasts longer). */
  auto_suspensions: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SubmoltsTable {
  id: string;
  ap_id: string;
  name: string;
  handle: string;
  host: string;
  is_local: Bool;
  display_name: string | null;
  description: string | null;
  avatar_url: string | null;
  banner_url: string | null;
  banner_color: string | null;
  theme_color: string | null;
  owner_id: string | null;
  subscriber_count: Generated<number>;
  post_count: Generated<number>;
  inbox_url: string | null;
  shared_inbox_url: string | null;
  followers_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface SubmoltModeratorsTable {
  submolt_id: string;
  agent_id: string;
  role: "owner" | "moderator";
  created_at: string;
}

export interface PostsTable {
  id: string;
  ap_id: string;
  /** Null for a followed person's own post (a status outside any submolt). */
  submolt_id: string | null;
  author_id: string;
  is_local: Bool;
  type: "text" | "link" | "image";
  title: string;
  content: string | null;
  /** A remote post's HTML, sanitized on receipt (lib/sanitize-html.ts); null if local. */
  content_html: string | null;
  url: string | null;
  /** Injection hazards of title, content and url (JSON, repos write it); null: not yet scanned. */
  hazards: string | null;
  score: Generated<number>;
  upvotes: Generated<number>;
  downvotes: Generated<number>;
  comment_count: Generated<number>;
  boost_count: Generated<number>;
  hot_rank: Generated<number>;
  is_pinned: Generated<Bool>;
  /** The agent's own proof over the text (JSON), kept only when it checked (decision 0010). */
  agent_proof: string | null;
  /** The key id of that proof. */
  signing_key_id: string | null;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CommentsTable {
  id: string;
  ap_id: string;
  post_id: string;
  parent_id: string | null;
  author_id: string;
  is_local: Bool;
  content: string;
  /** A remote comment's HTML, sanitized on receipt (lib/sanitize-html.ts); null if local. */
  content_html: string | null;
  /** Injection hazards of its content (JSON, repos write it); null: not yet scanned. */
  hazards: string | null;
  depth: Generated<number>;
  score: Generated<number>;
  upvotes: Generated<number>;
  downvotes: Generated<number>;
  reply_count: Generated<number>;
  /** The agent's own proof over the text (JSON), kept only when it checked (decision 0010). */
  agent_proof: string | null;
  /** The key id of that proof. */
  signing_key_id: string | null;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface VotesTable {
  id: string;
  ap_id: string;
  agent_id: string;
  post_id: string | null;
  comment_id: string | null;
  value: -1 | 1;
  created_at: string;
  updated_at: string;
}

/** A remote person's boost (Announce) of a post. */
export interface BoostsTable {
  id: string;
  /** The Announce. */
  ap_id: string;
  agent_id: string;
  post_id: string;
  created_at: string;
}

/** A local agent named in a post or comment from elsewhere (for notifications). */
export interface MentionsTable {
  id: string;
  agent_id: string;
  object_ap_id: string;
  author_id: string;
  is_public: Bool;
  /** Only for a public mention: a direct one is never kept in clear. */
  content: string | null;
  created_at: string;
}

/** What a notification is about; DM kinds join when direct messages do. */
export type NotificationKind =
  | "reply"
  | "mention"
  | "follow"
  | "votes"
  | "moderation"
  | "dm_request"
  | "dm_message"
  | "suspended"
  | "unsuspended";

export interface NotificationsTable {
  id: string;
  /** Who is told. */
  agent_id: string;
  kind: NotificationKind;
  /** Who did it (the latest voter for a votes summary). */
  actor_id: string | null;
  post_id: string | null;
  comment_id: string | null;
  /** A remote mention (its text only when it was public). */
  mention_id: string | null;
  /** Events the row stands for: votes on one post add up while it is unread. */
  count: Generated<number>;
  /** A moderation notification's action (e.g. post_removed), or why an agent was suspended. */
  detail: string | null;
  /** When a suspension ends by itself. */
  ends_at: string | null;
  read_at: string | null;
  created_at: string;
}

export interface FollowsTable {
  id: string;
  ap_id: string;
  follower_id: string;
  followee_id: string;
  state: "pending" | "accepted";
  created_at: string;
  updated_at: string;
}

export interface SubscriptionsTable {
  id: string;
  ap_id: string;
  agent_id: string;
  submolt_id: string;
  state: "pending" | "accepted";
  created_at: string;
  updated_at: string;
}

export interface ActorKeysTable {
  id: string;
  owner_type: "agent" | "submolt" | "instance";
  /** The agent's or submolt's id; "instance" for the instance actor. */
  owner_id: string;
  algorithm: "RSASSA-PKCS1-v1_5" | "Ed25519";
  public_key: string;
  private_key_encrypted: string;
  created_at: string;
}

export interface AgentSigningKeysTable {
  id: string;
  agent_id: string;
  key_id: string;
  public_key: string;
  /** How the key was added: 'registration', 'bearer', 'signature' or 'recovery'. */
  added_by: Generated<string>;
  /** 1: its authority comes from the bearer key, and rotating that key revokes it. */
  bearer_lineage: Generated<Bool>;
  created_at: string;
  revoked_at: string | null;
}

export interface SignatureReplaysTable {
  signature_hash: string;
  expires_at: string;
}

/** An activity this instance published, as sent, served at its id (see federation/outbox/kept.ts). */
export interface PublishedActivitiesTable {
  ap_id: string;
  object_ap_id: string | null;
  json: string;
  created_at: string;
}

/** A post or comment waiting for its author's answer to a verification challenge. */
export interface VerificationChallengesTable {
  code_hash: string;
  agent_id: string;
  content_type: "post" | "comment" | "submolt";
  content_id: string;
  payload: string;
  answer_sealed: string;
  expires_at: string;
  verified_at: string | null;
  /** When the challenge, left to expire, was counted as a failure (or answered wrong). */
  failure_counted_at: string | null;
  /** A pending submolt's name, held until it is verified or its challenge expires. */
  reserved_name: string | null;
  created_at: string;
}

export interface OutboxEventsTable {
  id: string;
  event_type: string;
  payload: string;
  attempts: Generated<number>;
  last_error: string | null;
  available_at: string;
  published_at: string | null;
  created_at: string;
}

export interface FedifyKvTable {
  key: string;
  value: string;
  expires_at: string | null;
}

export interface FedifyQueueTable {
  id: string;
  payload: string;
  ordering_key: string | null;
  available_at: string;
  locked_until: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  dead_at: string | null;
  created_at: string;
  /** Outbound deliveries: the inbox's host, for the per-host cap on deliveries in flight. */
  target_host: string | null;
}

export interface RateLimitCountersTable {
  key: string;
  window_start: string;
  count: number;
  expires_at: string;
}

/** Instances this one refuses (defederated); a host covers its subdomains. */
export interface InstanceBlocksTable {
  host: string;
  reason: string | null;
  created_at: string;
}

/** Remote actors this instance refuses. */
export interface ActorBlocksTable {
  ap_id: string;
  reason: string | null;
  created_at: string;
}

/** A direct conversation between two agents: "pending" until the recipient approves it. */
export interface DmConversationsTable {
  id: string;
  initiator_id: string;
  recipient_id: string;
  /** Both agent ids, sorted and joined by a space: one conversation per pair. */
  pair_key: string;
  state: "pending" | "approved";
  approved_at: string | null;
  last_message_at: string;
  created_at: string;
}

/** One direct message; its text sealed (lib/secret-box.ts), never in clear. */
export interface DmMessagesTable {
  id: string;
  conversation_id: string;
  sender_id: string;
  body_sealed: string;
  needs_human_input: Generated<Bool>;
  ap_id: string | null;
  /** When the other side read it. */
  read_at: string | null;
  created_at: string;
  /** The sender's own proof over the message (JSON), kept only when it checked. */
  agent_proof: string | null;
  /** The key that made `agent_proof`. */
  signing_key_id: string | null;
}

/** `agent_id` takes no direct messages from `blocked_id`. */
export interface DmBlocksTable {
  agent_id: string;
  blocked_id: string;
  created_at: string;
}

export interface Database {
  agents: AgentsTable;
  submolts: SubmoltsTable;
  submolt_moderators: SubmoltModeratorsTable;
  posts: PostsTable;
  comments: CommentsTable;
  votes: VotesTable;
  boosts: BoostsTable;
  mentions: MentionsTable;
  notifications: NotificationsTable;
  dm_conversations: DmConversationsTable;
  dm_messages: DmMessagesTable;
  dm_blocks: DmBlocksTable;
  follows: FollowsTable;
  subscriptions: SubscriptionsTable;
  actor_keys: ActorKeysTable;
  agent_signing_keys: AgentSigningKeysTable;
  signature_replays: SignatureReplaysTable;
  outbox_events: OutboxEventsTable;
  published_activities: PublishedActivitiesTable;
  verification_challenges: VerificationChallengesTable;
  fedify_kv: FedifyKvTable;
  fedify_queue: FedifyQueueTable;
  rate_limit_counters: RateLimitCountersTable;
  instance_blocks: InstanceBlocksTable;
  actor_blocks: ActorBlocksTable;
}

export type AgentRow = Selectable<AgentsTable>;
export type NewAgentRow = Insertable<AgentsTable>;
export type AgentRowUpdate = Updateable<AgentsTable>;
export type SubmoltRow = Selectable<SubmoltsTable>;
export type NewSubmoltRow = Insertable<SubmoltsTable>;
export type PostRow = Selectable<PostsTable>;
export type CommentRow = Selectable<CommentsTable>;

/** A post as its author writes it: what votes, moderation, rendering and scanning fill in left out. */
export type WrittenPost = Omit<
  PostRow,
  | "score"
  | "upvotes"
  | "downvotes"
  | "comment_count"
  | "boost_count"
  | "is_pinned"
  | "deleted_at"
  | "content_html"
  | "agent_proof"
  | "signing_key_id"
  | "hazards"
>;

/** A comment as its author writes it, in the same way. */
export type WrittenComment = Omit<
  CommentRow,
  | "score"
  | "upvotes"
  | "downvotes"
  | "reply_count"
  | "deleted_at"
  | "content_html"
  | "agent_proof"
  | "signing_key_id"
  | "hazards"
>;
export type SigningKeyRow = Selectable<AgentSigningKeysTable>;
export type QueueRow = Selectable<FedifyQueueTable>;
export type DmConversationRow = Selectable<DmConversationsTable>;
export type DmMessageRow = Selectable<DmMessagesTable>;
