import { type Actor, Group } from "@fedify/vocab";
import { findAgentByApId } from "../../repos/agents.ts";
import { findSubmoltByApId } from "../../repos/submolts.ts";
import { storeActor, storeGroup } from "../directory.ts";
import { APPLIED, type InboxDeps, ignored, type Verdict } from "./deps.ts";

/**
 * Update of a remote actor's own document (a new name, bio or avatar): refreshes the agent or
 * submolt we hold for it. Only the actor itself may update itself, and only actors we already
 * hold are refreshed (an Update is no reason to start keeping a stranger).
 */
export async function refreshActor(deps: InboxDeps, actor: Actor, sender: URL): Promise<Verdict> {
  if (actor.id?.href !== sender.href) return ignored("an actor may update only itself");
  const db = deps.services.db;
  if (actor instanceof Group) {
    const known = await findSubmoltByApId(db, sender.href);
    if (known === undefined || known.is_local === 1) return ignored("not a group held here");
    return (await storeGroup(deps.directory, actor)) === undefined
      ? ignored("the group could not be stored")
      : APPLIED;
  }
  const known = await findAgentByApId(db, sender.href);
  if (known === undefined || known.is_local === 1) return ignored("not an actor held here");
  return (await storeActor(deps.directory, actor)) === undefined
    ? ignored("the actor could not be stored")
    : APPLIED;
}
