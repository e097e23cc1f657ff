import type { SubmoltRow } from "../db/schema.ts";
import { uuidv7 } from "../domain/ids.ts";
import { toHandle } from "../domain/names.ts";
import { upsertSubmolt } from "../repos/submolts.ts";
import type { ServiceContext } from "./context.ts";

/** Every instance has `general`, the default submolt for posts that name none. */
export async function ensureDefaultSubmolts(ctx: ServiceContext): Promise<SubmoltRow> {
  const now = ctx.clock.now().toISOString();
  return upsertSubmolt(ctx.db, {
    id: uuidv7(),
    ap_id: ctx.urls.submolt("general"),
    name: "general",
    handle: toHandle("general", ctx.urls.host),
    host: ctx.urls.host,
    is_local: 1,
    display_name: "General",
    description: "The default community: anything goes.",
    created_at: now,
    updated_at: now,
  });
}
