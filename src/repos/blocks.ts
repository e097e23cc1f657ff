import type { ActorBlocksTable, InstanceBlocksTable } from "../db/schema.ts";
import { hostSuffixes } from "../domain/hosts.ts";
import type { DbHandle } from "./database.ts";

// The operator's block lists. Looked up on every inbound POST and every outbound fetch, by
// primary key, so that a block made by the CLI in another process holds at once.

export type InstanceBlock = InstanceBlocksTable;
export type ActorBlock = ActorBlocksTable;

/** True when the block is new. */
export async function insertInstanceBlock(db: DbHandle, block: InstanceBlock): Promise<boolean> {
  const result = await db
    .insertInto("instance_blocks")
    .values(block)
    .onConflict((oc) => oc.column("host").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteInstanceBlock(db: DbHandle, host: string): Promise<boolean> {
  const result = await db.deleteFrom("instance_blocks").where("host", "=", host).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertActorBlock(db: DbHandle, block: ActorBlock): Promise<boolean> {
  const result = await db
    .insertInto("actor_blocks")
    .values(block)
    .onConflict((oc) => oc.column("ap_id").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteActorBlock(db: DbHandle, apId: string): Promise<boolean> {
  const result = await db.deleteFrom("actor_blocks").where("ap_id", "=", apId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listInstanceBlocks(db: DbHandle): Promise<InstanceBlock[]> {
  return db.selectFrom("instance_blocks").selectAll().orderBy("host").execute();
}

export async function listActorBlocks(db: DbHandle): Promise<ActorBlock[]> {
  return db.selectFrom("actor_blocks").selectAll().orderBy("ap_id").execute();
}

/** Whether `host`, or a domain it is under, is blocked. */
export async function isHostBlocked(db: DbHandle, host: string): Promise<boolean> {
  const row = await db
    .selectFrom("instance_blocks")
    .select("host")
    .where("host", "in", hostSuffixes(host))
    .executeTakeFirst();
  return row !== undefined;
}

export async function isActorBlocked(db: DbHandle, apId: string): Promise<boolean> {
  const row = await db
    .selectFrom("actor_blocks")
    .select("ap_id")
    .where("ap_id", "=", apId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Whether a URL belongs to something blocked: its instance, or a blocked actor (the URL itself
 * without its fragment, so `actor#main-key` counts as the actor).
 */
export async function isUrlBlocked(db: DbHandle, url: URL): Promise<boolean> {
  const bare = new URL(url);
  bare.hash = "";
  return (await isHostBlocked(db, url.host)) || (await isActorBlocked(db, bare.href));
}

export interface SuspendedAgent {
  readonly name: string;
  readonly suspended_at: string;
  readonly suspended_until: string | null;
  readonly suspension_reason: string | null;
}

export async function listSuspendedAgents(db: DbHandle): Promise<SuspendedAgent[]> {
  const rows = await db
    .selectFrom("agents")
    .select(["name", "suspended_at", "suspended_until", "suspension_reason"])
    .where("is_local", "=", 1)
    .where("suspended_at", "is not", null)
    .orderBy("name")
    .execute();
  return rows.map((row) => ({ ...row, suspended_at: row.suspended_at ?? "" }));
}

/**
 * The operator's blocks as this process last read them, for checks made many times a second
 * (every delivery checks its host and inbox): read again after any change to them, by this
 * process (`invalidate`, from the WriteSignal) or by another (`changedElsewhere`, asked before
 * each check; on PostgreSQL, notifications call `invalidate`).
 */
export interface BlockListCache {
  isHostBlocked(host: string): Promise<boolean>;
  isUrlBlocked(url: URL): Promise<boolean>;
  invalidate(): void;
}

export function createBlockListCache(
  db: DbHandle,
  changedElsewhere: (() => boolean) | undefined,
): BlockListCache {
  let lists: Promise<{ hosts: Set<string>; actors: Set<string> }> | undefined;
  const load = () => {
    if (changedElsewhere?.() === true) lists = undefined;
    lists ??= Promise.all([
      db.selectFrom("instance_blocks").select("host").execute(),
      db.selectFrom("actor_blocks").select("ap_id").execute(),
    ]).then(([hosts, actors]) => ({
      hosts: new Set(hosts.map((r) => r.host)),
      actors: new Set(actors.map((r) => r.ap_id)),
    }));
    const loading = lists;
    // A failed read is not kept.
    loading.catch(() => {
      if (lists === loading) lists = undefined;
    });
    return loading;
  };
  const hostBlocked = async (host: string) => {
    const { hosts } = await load();
    return hostSuffixes(host).some((suffix) => hosts.has(suffix));
  };
  return {
    isHostBlocked: hostBlocked,
    async isUrlBlocked(url) {
      const bare = new URL(url);
      bare.hash = "";
      return (await hostBlocked(url.host)) || (await load()).actors.has(bare.href);
    },
    invalidate() {
      lists = undefined;
    },
  };
}
