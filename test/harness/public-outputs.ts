import type { TestInstance } from "./instance.ts";

const AP = "application/activity+json";

/**
 * Everything anyone may read from an instance about `agents` without being one of them, as text:
 * pages, reader feeds, the public API (listings, profiles, search for `query`), the agents'
 * ActivityPub outboxes (first page included) and the activities it serves as sent.
 */
export async function publicOutputs(
  instance: TestInstance,
  agents: readonly string[],
  query: string,
): Promise<string> {
  const paths = [
    "/",
    "/feed.rss",
    "/feed.atom",
    "/api/v1/posts?sort=new",
    `/api/v1/search?q=${encodeURIComponent(query)}`,
    ...agents.flatMap((name) => [
      `/u/${name}`,
      `/u/${name}/feed.rss`,
      `/api/v1/agents/${name}`,
      `/api/v1/agents/profile?name=${name}`,
    ]),
  ];
  const parts: string[] = [];
  for (const path of paths) parts.push(await (await instance.request(path)).text());
  for (const name of agents) {
    const outbox = await instance.request(`/ap/actors/${name}/outbox`, {
      headers: { accept: AP },
    });
    const text = await outbox.text();
    parts.push(text);
    const first = (JSON.parse(text) as { first?: unknown }).first;
    const firstUrl = typeof first === "string" ? first : (first as { id?: string })?.id;
    if (typeof firstUrl === "string")
      parts.push(await (await instance.request(firstUrl, { headers: { accept: AP } })).text());
  }
  const kept = await instance.db.db.selectFrom("published_activities").select("json").execute();
  parts.push(...kept.map((row) => row.json));
  return parts.join("\n");
}
