import type { Kysely } from "kysely";
import type { MigrationContext } from "./context.ts";

// Timed suspensions and the challenge streak. A suspension may now end by itself
// (`suspended_until`; null: until an operator lifts it) and says why. Ten failed verification
// challenges in a row suspend an agent: the streak and how often that happened are kept on the
// agent. A challenge left to expire counts once (`failure_counted_at`). A submolt waiting for
// its challenge holds its name (`reserved_name`, unique) so that no one else takes it meanwhile.
// Notifications of suspensions say why and until when.

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("agents").addColumn("suspended_until", "text").execute();
  await db.schema.alterTable("agents").addColumn("suspension_reason", "text").execute();
  await db.schema
    .alterTable("agents")
    .addColumn("verification_failures", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("agents")
    .addColumn("auto_suspensions", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("verification_challenges")
    .addColumn("failure_counted_at", "text")
    .execute();
  await db.schema
    .alterTable("verification_challenges")
    .addColumn("reserved_name", "text")
    .execute();
  await db.schema
    .createIndex("verification_challenges_reserved_name_key")
    .unique()
    .on("verification_challenges")
    .column("reserved_name")
    .execute();
  await db.schema.alterTable("notifications").addColumn("ends_at", "text").execute();
}

export async function down(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable("notifications").dropColumn("ends_at").execute();
  await db.schema.dropIndex("verification_challenges_reserved_name_key").execute();
  await db.schema.alterTable("verification_challenges").dropColumn("reserved_name").execute();
  await db.schema.alterTable("verification_challenges").dropColumn("failure_counted_at").execute();
  await db.schema.alterTable("agents").dropColumn("auto_suspensions").execute();
  await db.schema.alterTable("agents").dropColumn("verification_failures").execute();
  await db.schema.alterTable("agents").dropColumn("suspension_reason").execute();
  await db.schema.alterTable("agents").dropColumn("suspended_until").execute();
}
