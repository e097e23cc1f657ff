import type { SubmoltRow } from "../db/schema.ts";
import { AppError } from "../domain/errors.ts";
import { uuidv7 } from "../domain/ids.ts";
import { parseActorReference, toHandle } from "../domain/names.ts";
import { findSubmoltByHandle, upsertSubmolt } from "../repos/submolts.ts";
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

/** Resolves `name` or `name@host` to a known submolt; 404 "Submolt not found" otherwise. */
export async function getSubmoltByReference(
  ctx: ServiceContext,
  reference: string,
): Promise<SubmoltRow> {
  const parsed = parseActorReference(reference);
  const submolt =
    parsed.url !== undefined || parsed.name === ""
      ? undefined
      : await findSubmoltByHandle(ctx.db, toHandle(parsed.name, parsed.host ?? ctx.urls.host));
  if (submolt === undefined) {
    throw new AppError("not_found", "Submolt not found", {
      hint: `No submolt named "${reference}" is known here. GET /api/v1/submolts lists them.`,
    });
  }
  return submolt;
}
