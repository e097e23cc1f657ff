import { type Article, Mention, type Note } from "@fedify/vocab";
import type { AgentRow } from "../../db/schema.ts";
import { findAgentByApId } from "../../repos/agents.ts";
import { receiveRemoteDirectMessage } from "../../services/remote-direct-messages.ts";
import { checkReceivedDirectProof } from "../agent-proofs.ts";
import { findOrStoreAgent } from "../directory.ts";
import { fromNote } from "../mappers/from-vocab.ts";
import { APPLIED, type InboxDeps, ignored, type Verdict } from "./deps.ts";
import { isPublic } from "./timeline.ts";

// Direct messages from elsewhere: a Note addressed only to actors it names (Mastodon's and
// Hollo's visibility "direct", and ours), among them local agents. It goes to their direct
// messages and nowhere else: never a post, a comment or a public mention. A followers-only post
// is addressed to a followers collection, which no Mention names, so it is not one.

/**
 * The local agents `object` is a direct message to, or undefined when it is not one: not
 * public, and every addressee a local agent or an actor it mentions.
 */
export async function directRecipients(
  deps: InboxDeps,
  object: Note | Article,
): Promise<AgentRow[] | undefined> {
  if (isPublic(object)) return undefined;
  const addressees = new Set([...object.toIds, ...object.ccIds].map((id) => id.href));
  if (addressees.size === 0) return undefined;
  const mentioned = new Set<string>();
  for await (const tag of object.getTags()) {
    if (tag instanceof Mention && tag.href !== null) mentioned.add(tag.href.href);
  }
  const local: AgentRow[] = [];
  for (const href of addressees) {
    const agent = href.startsWith(deps.directory.origin.origin)
      ? await findAgentByApId(deps.services.db, href)
      : undefined;
    if (agent?.is_local === 1) local.push(agent);
    else if (!mentioned.has(href)) return undefined;
  }
  return local.length === 0 ? undefined : local;
}

/** Stores a direct message of `actorId`'s for each local agent it is addressed to. */
export async function receiveDirectMessage(
  deps: InboxDeps,
  note: Note | Article,
  actorId: URL,
  recipients: readonly AgentRow[],
): Promise<Verdict> {
  if (note.id === null || note.id.origin !== actorId.origin)
    return ignored("the direct message is not on its author's origin");
  if (note.attributionId?.href !== actorId.href)
    return ignored("the direct message is attributed to someone else");
  const author = await findOrStoreAgent(deps.directory, actorId, () => note.getAttribution());
  if (author === undefined) return ignored("its author could not be resolved");
  const text = withoutLeadingMentions(fromNote(note));
  const signature = await checkReceivedDirectProof(deps.directory, note);
  const outcomes = [];
  for (const recipient of recipients) {
    outcomes.push(
      await receiveRemoteDirectMessage(deps.services, {
        apId: note.id.href,
        author,
        recipient,
        text,
        signature,
      }),
    );
  }
  if (outcomes.includes("stored")) return APPLIED;
  return ignored(`a direct message not stored (${[...new Set(outcomes)].join(", ")})`);
}

/** The text without the @mentions a microblog puts first to address it. */
function withoutLeadingMentions(text: string): string {
  return text.replace(/^(\s*@[\w.-]+(@[\w.-]+)?)+\s*/u, "");
}
