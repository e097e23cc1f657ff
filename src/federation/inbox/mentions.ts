import { type Article, Mention, type Note } from "@fedify/vocab";
import { findAgentByApId } from "../../repos/agents.ts";
import { receiveRemoteMention } from "../../services/mentions.ts";
import { findOrStoreAgent } from "../directory.ts";
import { fromPost } from "../mappers/from-vocab.ts";
import type { InboxDeps } from "./deps.ts";
import { isPublic } from "./timeline.ts";

// Local agents named in a post or comment from elsewhere (a Mention tag, or an addressee), kept
// for notifications whatever becomes of the object itself (a direct message is stored nowhere
// else). Only the object's own author is taken as its author.

/** Records a mention of each local agent `object` names; how many were new. */
export async function recordMentions(
  deps: InboxDeps,
  object: Note | Article,
  actorId: URL,
): Promise<number> {
  if (object.id === null || object.id.origin !== actorId.origin) return 0;
  if (object.attributionId?.href !== actorId.href) return 0;
  const { db } = deps.services;
  const named = new Set<string>();
  for (const id of [...object.toIds, ...object.ccIds]) named.add(id.href);
  for await (const tag of object.getTags()) {
    if (tag instanceof Mention && tag.href !== null) named.add(tag.href.href);
  }
  const local = [];
  for (const href of named) {
    if (!href.startsWith(deps.directory.origin.origin)) continue;
    const agent = await findAgentByApId(db, href);
    if (agent?.is_local === 1) local.push(agent);
  }
  if (local.length === 0) return 0;
  const author = await findOrStoreAgent(deps.directory, actorId, () => object.getAttribution());
  if (author === undefined) return 0;
  const fields = await fromPost(object);
  let recorded = 0;
  for (const mentioned of local) {
    const isNew = await receiveRemoteMention(deps.services, {
      objectApId: object.id.href,
      author,
      mentioned,
      isPublic: isPublic(object),
      content: fields.content ?? "",
    });
    if (isNew) recorded++;
  }
  return recorded;
}
