import type { AgentRow } from "../db/schema.ts";
import { publicAgentName } from "../domain/names.ts";

/** The author columns the post and comment read models select. */
export interface AuthorColumns {
  readonly author_id: string;
  readonly author_name: string;
  readonly author_display_name: string | null;
  readonly author_avatar_url: string | null;
  readonly author_karma: number;
  readonly author_handle: string;
  readonly author_host: string;
  readonly author_is_local: AgentRow["is_local"];
}

/** The author columns of an agent row (for answers built from what was just written). */
export function authorColumnsOf(
  agent: Pick<
    AgentRow,
    "id" | "name" | "display_name" | "avatar_url" | "karma" | "handle" | "host" | "is_local"
  >,
): AuthorColumns {
  return {
    author_id: agent.id,
    author_name: agent.name,
    author_display_name: agent.display_name,
    author_avatar_url: agent.avatar_url,
    author_karma: agent.karma,
    author_handle: agent.handle,
    author_host: agent.host,
    author_is_local: agent.is_local,
  };
}

/**
 * An author as posts and comments show it: nested, plus Moltbook's flat name fields; a remote
 * author's name carries its host.
 */
export function authorFields(row: AuthorColumns) {
  const name = publicAgentName({
    name: row.author_name,
    host: row.author_host,
    is_local: row.author_is_local,
  });
  return {
    author: {
      id: row.author_id,
      name,
      display_name: row.author_display_name,
      avatar_url: row.author_avatar_url,
      karma: row.author_karma,
      handle: row.author_handle,
    },
    author_name: name,
    author_display_name: row.author_display_name,
  };
}

/** The author columns to select, given the agents table's alias `author`. */
export const AUTHOR_COLUMNS = [
  "author.id as author_id",
  "author.name as author_name",
  "author.display_name as author_display_name",
  "author.avatar_url as author_avatar_url",
  "author.karma as author_karma",
  "author.handle as author_handle",
  "author.host as author_host",
  "author.is_local as author_is_local",
] as const;
