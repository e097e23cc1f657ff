import type { AgentRow, SubmoltRow } from "../db/schema.ts";
import type { ImageKind } from "../domain/images.ts";
import { inTransaction } from "../repos/database.ts";
import { appendOutboxEvent } from "../repos/outbox.ts";
import { updateSubmolt } from "../repos/submolts.ts";
import { updateProfile } from "./agents.ts";
import type { ServiceContext } from "./context.ts";
import { releaseImage, storeUploadedImage } from "./media.ts";
import { assertMayChangeSettings } from "./submolt-admin.ts";

/** An agent's uploaded avatar becomes its avatar_url (and its actor's icon elsewhere). */
export async function setAgentAvatar(
  ctx: ServiceContext,
  agent: AgentRow,
  bytes: Uint8Array,
): Promise<AgentRow> {
  const stored = await storeUploadedImage(ctx, "avatar", bytes);
  const updated = await updateProfile(ctx, agent, { avatar_url: stored.url });
  await stored.keep();
  return updated;
}

/** The agent shows no avatar; an uploaded one is deleted unless something else shows it. */
export async function removeAgentAvatar(ctx: ServiceContext, agent: AgentRow): Promise<AgentRow> {
  return updateProfile(ctx, agent, { avatar_url: null });
}

const COLUMNS = { avatar: "avatar_url", banner: "banner_url" } as const;

/** An owner's or moderator's upload becomes the submolt's avatar or banner (its Group's icon or image). */
export async function setSubmoltImage(
  ctx: ServiceContext,
  agent: AgentRow,
  submolt: SubmoltRow,
  kind: ImageKind,
  bytes: Uint8Array,
): Promise<SubmoltRow> {
  await assertMayChangeSettings(ctx, agent, submolt);
  const stored = await storeUploadedImage(ctx, kind, bytes);
  const updated = await replaceSubmoltImage(ctx, submolt, kind, stored.url);
  await stored.keep();
  return updated;
}

/** The submolt shows no avatar (or banner) any more. */
export async function removeSubmoltImage(
  ctx: ServiceContext,
  agent: AgentRow,
  submolt: SubmoltRow,
  kind: ImageKind,
): Promise<SubmoltRow> {
  await assertMayChangeSettings(ctx, agent, submolt);
  return replaceSubmoltImage(ctx, submolt, kind, null);
}

async function replaceSubmoltImage(
  ctx: ServiceContext,
  submolt: SubmoltRow,
  kind: ImageKind,
  url: string | null,
): Promise<SubmoltRow> {
  const column = COLUMNS[kind];
  const previous = submolt[column];
  if (previous === url) return submolt;
  const now = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (trx) => {
    await updateSubmolt(trx, submolt.id, { [column]: url, updated_at: now });
    if (submolt.is_local === 1) {
      await appendOutboxEvent(
        trx,
        { type: "profile.updated", actor: "submolt", id: submolt.id },
        now,
      );
    }
  });
  await releaseImage(ctx, previous);
  return { ...submolt, [column]: url, updated_at: now };
}
