import type { DbHandle } from "./database.ts";

/** Whether any agent or submolt still shows the picture at `url` (as avatar or banner). */
export async function isMediaReferenced(db: DbHandle, url: string): Promise<boolean> {
  const [agent, submolt] = await Promise.all([
    db.selectFrom("agents").select("id").where("avatar_url", "=", url).limit(1).executeTakeFirst(),
    db
      .selectFrom("submolts")
      .select("id")
      .where((eb) => eb.or([eb("avatar_url", "=", url), eb("banner_url", "=", url)]))
      .limit(1)
      .executeTakeFirst(),
  ]);
  return agent !== undefined || submolt !== undefined;
}
