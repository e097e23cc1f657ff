import type { ServiceContext } from "../../services/context.ts";
import type { DirectoryDeps } from "../directory.ts";

/** What inbox handlers need: services to apply changes, the directory to store remote actors. */
export interface InboxDeps {
  readonly services: ServiceContext;
  readonly directory: DirectoryDeps;
}

/**
 * What a handler did with an activity: applied it, or ignored it for a reason. The listeners log
 * every ignored activity with its reason (inbox/index.ts), so no drop goes unrecorded.
 */
export type Verdict = { readonly applied: true } | { readonly ignored: string };

export const APPLIED: Verdict = { applied: true };

export function ignored(reason: string): Verdict {
  return { ignored: reason };
}
