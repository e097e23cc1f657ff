import type { AgentRow, SubmoltRow } from "../db/schema.ts";
import type { DbHandle } from "./database.ts";

export interface RemoteAgentFields {
  readonly id: string;
  readonly apId: string;
  readonly name: string;
  readonly host: string;
  readonly handle: string;
  readonly actorType: string;
  readonly displayName: string | null;
  readonly description: string;
  /** The bio as sanitized HTML (null: none). */
  readonly descriptionHtml: string | null;
  readonly avatarUrl: string | null;
  readonly inboxUrl: string | null;
  readonly sharedInboxUrl: string | null;
  readonly now: string;
}

/** Stores a remote actor, or refreshes the row with its ap_id; returns the stored row. */
export async function upsertRemoteAgent(
  db: DbHandle,
  fields: RemoteAgentFields,
): Promise<AgentRow> {
  const profile = {
    name: fields.name,
    handle: fields.handle,
    actor_type: fields.actorType,
    display_name: fields.displayName,
    description: fields.description,
    description_html: fields.descriptionHtml,
    avatar_url: fields.avatarUrl,
    inbox_url: fields.inboxUrl,
    shared_inbox_url: fields.sharedInboxUrl,
    updated_at: fields.now,
  };
  return db
    .insertInto("agents")
    .values({
      ...profile,
      id: fields.id,
      ap_id: fields.apId,
      host: fields.host,
      is_local: 0,
      created_at: fields.now,
    })
    .onConflict((oc) => oc.column("ap_id").doUpdateSet(profile).where("agents.is_local", "=", 0))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface RemoteSubmoltFields {
  readonly id: string;
  readonly apId: string;
  readonly name: string;
  readonly host: string;
  readonly handle: string;
  readonly displayName: string | null;
  readonly description: string;
  readonly avatarUrl: string | null;
  readonly bannerUrl: string | null;
  readonly inboxUrl: string | null;
  readonly sharedInboxUrl: string | null;
  readonly followersUrl: string | null;
  readonly now: string;
}

/** Stores a remote group as a submolt, or refreshes the row with its ap_id. */
export async function upsertRemoteSubmolt(
  db: DbHandle,
  fields: RemoteSubmoltFields,
): Promise<SubmoltRow> {
  const profile = {
    name: fields.name,
    handle: fields.handle,
    display_name: fields.displayName,
    description: fields.description,
    avatar_url: fields.avatarUrl,
    banner_url: fields.bannerUrl,
    inbox_url: fields.inboxUrl,
    shared_inbox_url: fields.sharedInboxUrl,
    followers_url: fields.followersUrl,
    updated_at: fields.now,
  };
  return db
    .insertInto("submolts")
    .values({
      ...profile,
      id: fields.id,
      ap_id: fields.apId,
      host: fields.host,
      is_local: 0,
      created_at: fields.now,
    })
    .onConflict((oc) => oc.column("ap_id").doUpdateSet(profile).where("submolts.is_local", "=", 0))
    .returningAll()
    .executeTakeFirstOrThrow();
}
