import type { DbHandle } from "./database.ts";

export type KeyOwnerType = "agent" | "submolt" | "instance";
export type KeyAlgorithm = "RSASSA-PKCS1-v1_5" | "Ed25519";

export interface StoredKeyPair {
  readonly algorithm: KeyAlgorithm;
  readonly publicKey: string;
  readonly privateKeyEncrypted: string;
}

/** An actor's key pairs, oldest first (key ids are positional: keep the order stable). */
export async function listActorKeys(
  db: DbHandle,
  ownerType: KeyOwnerType,
  ownerId: string,
): Promise<StoredKeyPair[]> {
  const rows = await db
    .selectFrom("actor_keys")
    .select(["algorithm", "public_key", "private_key_encrypted"])
    .where("owner_type", "=", ownerType)
    .where("owner_id", "=", ownerId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    algorithm: r.algorithm,
    publicKey: r.public_key,
    privateKeyEncrypted: r.private_key_encrypted,
  }));
}

/** Stores a key pair unless the actor already has one of that algorithm (then keeps the old one). */
export async function insertActorKeyIfAbsent(
  db: DbHandle,
  row: {
    id: string;
    ownerType: KeyOwnerType;
    ownerId: string;
    algorithm: KeyAlgorithm;
    publicKey: string;
    privateKeyEncrypted: string;
    createdAt: string;
  },
): Promise<void> {
  await db
    .insertInto("actor_keys")
    .values({
      id: row.id,
      owner_type: row.ownerType,
      owner_id: row.ownerId,
      algorithm: row.algorithm,
      public_key: row.publicKey,
      private_key_encrypted: row.privateKeyEncrypted,
      created_at: row.createdAt,
    })
    .onConflict((oc) => oc.columns(["owner_type", "owner_id", "algorithm"]).doNothing())
    .execute();
}
