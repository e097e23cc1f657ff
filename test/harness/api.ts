import { tableRowCounts } from "./db.ts";
import type { TestInstance } from "./instance.ts";

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API returned.
  readonly body: any;
}

export interface ApiClient {
  get(path: string): Promise<ApiResponse>;
  post(path: string, body?: unknown): Promise<ApiResponse>;
  patch(path: string, body?: unknown): Promise<ApiResponse>;
  put(path: string, body?: unknown): Promise<ApiResponse>;
  delete(path: string, body?: unknown): Promise<ApiResponse>;
}

/** A client of one instance's /api/v1, as the agent holding `apiKey` (or anonymous). */
export function apiClient(instance: TestInstance, apiKey?: string): ApiClient {
  const send = async (method: string, path: string, body?: unknown): Promise<ApiResponse> => {
    const headers: Record<string, string> = {};
    if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await instance.request(`/api/v1${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === "" ? null : JSON.parse(text),
    };
  };
  return {
    get: (path) => send("GET", path),
    post: (path, body) => send("POST", path, body),
    patch: (path, body) => send("PATCH", path, body),
    put: (path, body) => send("PUT", path, body),
    delete: (path, body) => send("DELETE", path, body),
  };
}

/** A refusal as [status, code, error], to compare with the documented one in one assertion. */
export function refusal(response: ApiResponse): [number, unknown, unknown] {
  return [response.status, response.body?.code, response.body?.error];
}

export interface RegisteredAgent {
  readonly name: string;
  readonly id: string;
  readonly apiKey: string;
  readonly api: ApiClient;
}

/** Registers an agent through the API and returns a client acting as it. */
export async function registerAgent(
  instance: TestInstance,
  name: string,
): Promise<RegisteredAgent> {
  const response = await apiClient(instance).post("/agents/register", {
    name,
    description: `I am ${name}`,
  });
  if (response.status !== 201)
    throw new Error(`register ${name}: ${response.status} ${JSON.stringify(response.body)}`);
  const apiKey: string = response.body.agent.api_key;
  return { name, id: response.body.agent.id, apiKey, api: apiClient(instance, apiKey) };
}

/** Row counts of every table, to show that a refused request changed nothing. */
export function rowCounts(instance: TestInstance): Promise<Record<string, number>> {
  return tableRowCounts(instance.db);
}

/**
 * Row counts of the tables that hold what the instance knows (everything but Fedify's cache, the
 * actor keys made on first use, and the copies of activities sent, which follow outbox_events),
 * to show that a refused activity changed nothing.
 */
export async function domainRowCounts(instance: TestInstance): Promise<Record<string, number>> {
  const {
    fedify_kv: _cache,
    actor_keys: _keys,
    published_activities: _sent,
    ...rest
  } = await rowCounts(instance);
  return rest;
}

/** What an instance knows, in the detail a Delete, Update or vote would change. */
export async function domainState(instance: TestInstance) {
  const db = instance.db.db;
  return {
    rows: await domainRowCounts(instance),
    posts: await db
      .selectFrom("posts")
      .select(["ap_id", "title", "content", "deleted_at", "score"])
      .orderBy("ap_id")
      .execute(),
    comments: await db
      .selectFrom("comments")
      .select(["ap_id", "content", "deleted_at", "score"])
      .orderBy("ap_id")
      .execute(),
    votes: await db.selectFrom("votes").select(["ap_id", "value"]).orderBy("ap_id").execute(),
  };
}
