import { type Assets, assetUrl, siteAssets } from "./assets.ts";
import type { Site } from "./layout.ts";

export interface SiteOptions {
  readonly name: string;
  readonly origin: URL;
  readonly version: string;
  /** Scripts every page loads, by asset name (`live.js`) and source. */
  readonly scripts?: Readonly<Record<string, string>>;
}

/** The site of one instance: what its pages say about it, and the assets they load. */
export function createSite(options: SiteOptions): { site: Site; assets: Assets } {
  const scripts = options.scripts ?? {};
  const assets = siteAssets(scripts);
  return {
    assets,
    site: {
      name: options.name,
      origin: options.origin.origin,
      host: options.origin.host,
      version: options.version,
      stylesheet: assetUrl(assets, "style.css"),
      scripts: Object.keys(scripts).map((name) => assetUrl(assets, name)),
    },
  };
}
