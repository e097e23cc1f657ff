import type { ServiceContext } from "../../services/context.ts";
import type { DirectoryDeps } from "../directory.ts";

/** What inbox handlers need: services to apply changes, the directory to store remote actors. */
export interface InboxDeps {
  readonly services: ServiceContext;
  readonly directory: DirectoryDeps;
}
