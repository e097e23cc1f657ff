import { type RawBuilder, type SqlBool, sql } from "kysely";

// What the operator's blocks hide, as SQL over an agents or submolts row (any alias): the same
// predicate in every listing, thread and search, and for deliveries to followers. The block
// tables are small and looked up by key; nothing is copied, so unblocking shows everything again.

/** The row under `alias` lives on a blocked instance (the host itself or a parent domain). */
function isOnBlockedHost(alias: string): RawBuilder<SqlBool> {
  const host = sql.ref(`${alias}.host`);
  return sql<SqlBool>`exists (select 1 from instance_blocks where ${host} = instance_blocks.host or ${host} like ('%.' || instance_blocks.host))`;
}

/** The agent row under `alias` is refused: its instance or itself is blocked. */
export function isBlockedActor(alias: string): RawBuilder<SqlBool> {
  const apId = sql.ref(`${alias}.ap_id`);
  return sql<SqlBool>`(${isOnBlockedHost(alias)} or ${apId} in (select ap_id from actor_blocks))`;
}

/** Content by the agent row under `alias` is shown: not blocked, not suspended. */
export function isShownAuthor(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${alias}.suspended_at`)} is null and not ${isBlockedActor(alias)})`;
}

/** The submolt row under `alias` is not hosted by a blocked instance. */
export function isShownSubmolt(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`not ${isOnBlockedHost(alias)}`;
}
