import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// One key pair per actor and algorithm, so that two processes generating an actor's keys at once
// keep the same pair (the loser's insert does nothing and it reads the winner's).

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex("actor_keys_owner_type_owner_id_idx").execute();
  await db.schema
    .createIndex("actor_keys_owner_type_owner_id_algorithm_key")
    .unique()
    .on("actor_keys")
    .columns(["owner_type", "owner_id", "algorithm"])
    .execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex("actor_keys_owner_type_owner_id_algorithm_key").execute();
  await db.schema
    .createIndex("actor_keys_owner_type_owner_id_idx")
    .on("actor_keys")
    .columns(["owner_type", "owner_id"])
    .execute();
}
