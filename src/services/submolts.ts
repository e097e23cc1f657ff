import type { SubmoltRow } from "../db/schema.ts";
import { AppError } from "../domain/errors.ts";
import { uuidv7 } from "../domain/ids.ts";
import { parseActorReference, toHandle } from "../domain/names.ts";
import { findSubmoltByApId, findSubmoltByHandle, upsertSubmolt } from "../repos/submolts.ts";
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
  const submolt = await findSubmoltByReference(ctx, reference);
  if (submolt === undefined) {
    throw new AppError("not_found", "Submolt not found", {
      hint: `No submolt named "${reference}" is known here. GET /api/v1/submolts lists them.`,
    });
  }
  return submolt;
}

/** A local or known submolt by name, `name@host` or URL, looked up on its instance if unknown. */
async function findSubmoltByReference(
  ctx: ServiceContext,
  reference: string,
): Promise<SubmoltRow | undefined> {
  const parsed = parseActorReference(reference);
  if (parsed.url !== undefined) {
    const known = await findSubmoltByApId(ctx.db, parsed.url.href);
    return known ?? (await ctx.remote?.resolveSubmolt(parsed.url));
  }
  if (parsed.name === "") return undefined;
  const host = parsed.host ?? ctx.urls.host;
  const known = await findSubmoltByHandle(ctx.db, toHandle(parsed.name, host));
  if (known !== undefined || host === ctx.urls.host) return known;
  return ctx.remote?.resolveSubmolt({ name: parsed.name, host });
}
