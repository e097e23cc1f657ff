import type { AgentRow, SubmoltRow } from "../db/schema.ts";
import type { FetchedPost } from "../domain/claims.ts";

/**
 * What services need from the fediverse, implemented in federation/ (services never touch Fedify).
 */
export interface RemoteDirectory {
  /**
   * Finds a remote agent (any non-group actor) by `name@host` or actor URL, fetching it over
   * ActivityPub and storing or refreshing its row; undefined when it cannot be found.
   */
  resolveAgent(reference: { name: string; host: string } | URL): Promise<AgentRow | undefined>;
  /** The same for a remote submolt (a Group actor). */
  resolveSubmolt(reference: { name: string; host: string } | URL): Promise<SubmoltRow | undefined>;
  /**
   * A post (Note, Article or Page) fetched from its server with the instance actor's signed
   * fetch, and its author looked up there: "not_found" when the URL holds no post (or cannot be
   * fetched here: a private address, a blocked host), "unreachable" when its server did not answer.
   */
  fetchPost(url: URL): Promise<FetchedPost | "not_found" | "unreachable">;
}
