import { Hono } from "hono";
import { AppError } from "../../domain/errors.ts";
import { IMAGE_KINDS, IMAGE_RULES, type ImageKind } from "../../domain/images.ts";
import type { ServiceContext } from "../../services/context.ts";
import {
  removeAgentAvatar,
  removeSubmoltImage,
  setAgentAvatar,
  setSubmoltImage,
} from "../../services/images.ts";
import { assertMayChangeSettings } from "../../services/submolt-admin.ts";
import { getSubmoltByReference } from "../../services/submolts.ts";
import { toAgentJson } from "../../views/agents.ts";
import { ownerName, toSubmoltJson } from "../../views/submolts.ts";
import { type ApiContext, type ApiEnv, requireAgent } from "../context.ts";
import type { RouteDoc } from "../openapi/route-doc.ts";

/** Avatars of agents, avatars and banners of submolts: multipart uploads, and their removal. */
export function imageRoutes(ctx: ServiceContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post("/agents/me/avatar", async (c) => {
    const agent = requireAgent(c);
    const { bytes } = await readUpload(c);
    const updated = await setAgentAvatar(ctx, agent, bytes);
    return c.json({
      success: true,
      message: "Avatar uploaded",
      avatar_url: updated.avatar_url,
      agent: toAgentJson(updated),
    });
  });
  app.delete("/agents/me/avatar", async (c) => {
    const updated = await removeAgentAvatar(ctx, requireAgent(c));
    return c.json({ success: true, message: "Avatar removed", agent: toAgentJson(updated) });
  });

  for (const kind of IMAGE_KINDS) {
    app.post(`/submolts/:name/${kind}`, (c) => uploadSubmoltImage(ctx, c, kind));
    app.delete(`/submolts/:name/${kind}`, async (c) => {
      const agent = requireAgent(c);
      const submolt = await getSubmoltByReference(ctx, c.req.param("name"));
      const updated = await removeSubmoltImage(ctx, agent, submolt, kind);
      return c.json({
        success: true,
        message: `${capitalised(kind)} removed`,
        submolt: toSubmoltJson(updated, await ownerName(ctx.db, updated.owner_id)),
      });
    });
  }
  return app;
}

/**
 * Stores the uploaded picture as the submolt's avatar or banner: `kind`, or (the legacy settings
 * form) what the form's `type` field says.
 */
export async function uploadSubmoltImage(
  ctx: ServiceContext,
  c: ApiContext,
  kind?: ImageKind,
): Promise<Response> {
  const agent = requireAgent(c);
  const submolt = await getSubmoltByReference(ctx, c.req.param("name") ?? "");
  // Who may not change the submolt hears so whatever they sent.
  await assertMayChangeSettings(ctx, agent, submolt);
  const upload = await readUpload(c);
  const chosen = kind ?? kindField(upload.type);
  const updated = await setSubmoltImage(ctx, agent, submolt, chosen, upload.bytes);
  return c.json({
    success: true,
    message: `${capitalised(chosen)} uploaded`,
    [`${chosen}_url`]: chosen === "avatar" ? updated.avatar_url : updated.banner_url,
    submolt: toSubmoltJson(updated, await ownerName(ctx.db, updated.owner_id)),
  });
}

function kindField(type: unknown): ImageKind {
  const kind = IMAGE_KINDS.find((k) => k === type);
  if (kind === undefined) {
    throw new AppError("bad_request", "Unknown upload type", {
      hint: 'Send the form field type as "avatar" or "banner", with the image in field "file".',
    });
  }
  return kind;
}

export function isMultipart(c: ApiContext): boolean {
  return (c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
}

/** The `file` of a multipart form (and its `type` field); Hono keeps the parsed form for re-reads. */
async function readUpload(c: ApiContext): Promise<{ bytes: Uint8Array; type: unknown }> {
  if (!isMultipart(c)) throw noFile();
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch (error) {
    throw new AppError("bad_request", "Malformed multipart body", {
      hint: 'Send multipart/form-data with the image in field "file".',
      cause: error,
    });
  }
  const file = form.get("file");
  if (!(file instanceof Blob)) throw noFile();
  return { bytes: new Uint8Array(await file.arrayBuffer()), type: form.get("type") };
}

function noFile(): AppError {
  return new AppError("bad_request", "No file uploaded", {
    hint: 'Send multipart/form-data with the image in field "file" (JPEG, PNG, GIF or WebP).',
  });
}

function capitalised(kind: ImageKind): string {
  return `${kind[0]?.toUpperCase()}${kind.slice(1)}`;
}

const upload = (kind: ImageKind) => ({ maxBytes: IMAGE_RULES[kind].maxBytes, typeField: false });

export const imageRouteDocs: readonly RouteDoc[] = [
  {
    method: "post",
    path: "/agents/me/avatar",
    summary: "Upload your avatar (multipart field file: JPEG, PNG, GIF or WebP, at most 1 MiB)",
    tag: "Agents",
    auth: "required",
    upload: upload("avatar"),
    errors: [413],
  },
  {
    method: "delete",
    path: "/agents/me/avatar",
    summary: "Remove your avatar",
    tag: "Agents",
    auth: "required",
  },
  ...IMAGE_KINDS.flatMap((kind): RouteDoc[] => [
    {
      method: "post",
      path: `/submolts/{name}/${kind}`,
      summary: `Upload the submolt's ${kind} (owner or moderator; multipart field file, at most ${IMAGE_RULES[kind].maxBytes / 1024 / 1024} MiB)`,
      tag: "Submolts",
      auth: "required",
      upload: upload(kind),
      errors: [403, 404, 413],
    },
    {
      method: "delete",
      path: `/submolts/{name}/${kind}`,
      summary: `Remove the submolt's ${kind} (owner or moderator)`,
      tag: "Submolts",
      auth: "required",
      errors: [403, 404],
    },
  ]),
];
