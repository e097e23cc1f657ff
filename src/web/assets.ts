import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Hono } from "hono";
import { encodeBody, sendBody } from "../http/encoded-body.ts";

/** A file the pages load, served under a name that changes whenever its content does. */
export interface Asset {
  /** `/assets/<name>.<hash>.<ext>`: safe to cache for ever, since new content gets a new URL. */
  readonly url: string;
  readonly contentType: string;
  readonly body: string;
}

export interface AssetSource {
  readonly contentType: string;
  readonly body: string;
}

/** The site's assets by logical name (`style.css`). */
export type Assets = ReadonlyMap<string, Asset>;

export const ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable";

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
};

/** Hashes each source into its URL. */
export function createAssets(sources: Readonly<Record<string, AssetSource>>): Assets {
  const assets = new Map<string, Asset>();
  for (const [name, source] of Object.entries(sources)) {
    const hash = createHash("sha256").update(source.body).digest("hex").slice(0, 12);
    const dot = name.lastIndexOf(".");
    const url = `/assets/${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
    assets.set(name, { url, ...source });
  }
  return assets;
}

/**
 * The site's own assets: the stylesheet, plus `extra` sources (scripts other parts of the site
 * contribute), read once per app (not at import time).
 */
export function siteAssets(extra: Readonly<Record<string, string>> = {}): Assets {
  const css = readFileSync(new URL("./style.css", import.meta.url), "utf8");
  const sources: Record<string, AssetSource> = {
    "style.css": { contentType: TYPES.css as string, body: css },
  };
  for (const [name, body] of Object.entries(extra)) {
    const ext = name.slice(name.lastIndexOf(".") + 1);
    sources[name] = { contentType: TYPES[ext] ?? "application/octet-stream", body };
  }
  return createAssets(sources);
}

/** The URL of an asset by logical name; throws for a name that is not one (a programming slip). */
export function assetUrl(assets: Assets, name: string): string {
  const asset = assets.get(name);
  if (asset === undefined) throw new Error(`No asset named ${name}`);
  return asset.url;
}

/** GET /assets/<name>.<hash>.<ext>: the asset, cached for a year; any other name is not found. */
export function assetRoutes(assets: Assets): Hono {
  // Encoded once per app; each compressed form is made on first demand and then kept.
  const byUrl = new Map(
    [...assets.values()].map((asset) => [asset.url, { asset, body: encodeBody(asset.body) }]),
  );
  const app = new Hono();
  app.get("/assets/:file", (c) => {
    const found = byUrl.get(`/assets/${c.req.param("file")}`);
    if (found === undefined) return c.notFound();
    return sendBody(c, found.body, found.asset.contentType, {
      "Cache-Control": ASSET_CACHE_CONTROL,
    });
  });
  return app;
}
