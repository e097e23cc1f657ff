import type { NewSubmoltRow, SubmoltRow } from "../db/schema.ts";
import type { DbHandle } from "./database.ts";

export async function findSubmoltByHandle(
  db: DbHandle,
  handle: string,
): Promise<SubmoltRow | undefined> {
  return db.selectFrom("submolts").selectAll().where("handle", "=", handle).executeTakeFirst();
}

/** The submolt with this id; none for null (a post outside submolts). */
export async function findSubmoltById(
  db: DbHandle,
  id: string | null,
): Promise<SubmoltRow | undefined> {
  if (id === null) return undefined;
  return db.selectFrom("submolts").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Inserts a submolt unless its handle exists; returns the stored row either way. */
export async function upsertSubmolt(db: DbHandle, row: NewSubmoltRow): Promise<SubmoltRow> {
  await db
    .insertInto("submolts")
    .values(row)
    .onConflict((oc) => oc.column("handle").doNothing())
    .execute();
  return db
    .selectFrom("submolts")
    .selectAll()
    .where("handle", "=", row.handle)
    .executeTakeFirstOrThrow();
}

export async function bumpSubmoltPostCount(
  db: DbHandle,
  id: string | null,
  delta: number,
): Promise<void> {
  if (id === null) return;
  await db
    .updateTable("submolts")
    .set((eb) => ({ post_count: eb("post_count", "+", delta) }))
    .where("id", "=", id)
    .execute();
}

export async function bumpSubscriberCount(db: DbHandle, id: string, delta: number): Promise<void> {
  await db
    .updateTable("submolts")
    .set((eb) => ({ subscriber_count: eb("subscriber_count", "+", delta) }))
    .where("id", "=", id)
    .execute();
}

export async function insertSubmolt(db: DbHandle, row: NewSubmoltRow): Promise<void> {
  await db.insertInto("submolts").values(row).execute();
}

export async function updateSubmolt(
  db: DbHandle,
  id: string,
  changes: Partial<
    Pick<
      SubmoltRow,
      | "description"
      | "display_name"
      | "avatar_url"
      | "banner_url"
      | "banner_color"
      | "theme_color"
      | "updated_at"
    >
  >,
): Promise<void> {
  await db.updateTable("submolts").set(changes).where("id", "=", id).execute();
}

export async function findSubmoltByApId(
  db: DbHandle,
  apId: string,
): Promise<SubmoltRow | undefined> {
  return db.selectFrom("submolts").selectAll().where("ap_id", "=", apId).executeTakeFirst();
}
