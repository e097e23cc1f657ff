import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { Context } from "hono";
import { etagMatches } from "../lib/etag.ts";

/** Smaller bodies go out as they are: compressing them saves less than it costs. */
export const MIN_COMPRESSED_BYTES = 1024;

export type Coding = "br" | "gzip";

type Bytes = Uint8Array<ArrayBuffer>;

const compressors: Record<Coding, (bytes: Bytes) => Promise<Buffer>> = {
  // Quality 4: most of brotli's gain for a few times gzip's speed (11, the default, takes
  // hundreds of milliseconds for a 100 KB thread).
  br: (bytes) =>
    promisify(brotliCompress)(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 4,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      },
    }),
  gzip: (bytes) => promisify(gzip)(bytes),
};

/**
 * A response body encoded once and sent many times: the UTF-8 bytes, a tag naming them (the
 * ETag), and each compressed form, made on first demand (off the event loop) and then kept.
 */
export interface EncodedBody {
  readonly bytes: Bytes;
  readonly tag: string;
  readonly compressed: Map<Coding, Promise<Bytes>>;
}

export function encodeBody(text: string): EncodedBody {
  const bytes = Buffer.from(text);
  const tag = createHash("sha1").update(bytes).digest("base64url");
  return { bytes, tag, compressed: new Map() };
}

/** What is kept with a cached value, per variant of the answer made from it. */
const kept = new WeakMap<object, Map<string, unknown>>();

function keptWith<V>(owner: object, variant: string, make: () => V): V {
  let variants = kept.get(owner);
  if (variants === undefined) {
    variants = new Map();
    kept.set(owner, variants);
  }
  if (!variants.has(variant)) variants.set(variant, make());
  return variants.get(variant) as V;
}

const isShared = (owner: object | undefined): owner is object =>
  owner !== undefined && Object.isFrozen(owner);

/**
 * The body made by `encode`, kept with `owner` when `owner` is a shared cached value (the read
 * cache freezes what it keeps) so that every request answered from that value, under the same
 * `variant` (what else the body depends on), sends the same bytes, encoded and compressed once;
 * dropped with the value. Otherwise (a viewer's own page), the text, encoded per request.
 */
export function sharedBody(
  owner: object | undefined,
  variant: string,
  encode: () => string,
): EncodedBody | string {
  if (!isShared(owner)) return encode();
  return keptWith(owner, variant, () => encodeBody(encode()));
}

/** sharedBody for a body rendered asynchronously (the site's pages). */
export function sharedRenderedBody(
  owner: object | undefined,
  variant: string,
  render: () => Promise<string>,
): Promise<EncodedBody | string> {
  if (!isShared(owner)) return render();
  return keptWith(owner, `rendered:${variant}`, () => render().then(encodeBody));
}

/**
 * The coding to answer with, from Accept-Encoding: brotli, else gzip, when the client accepts it
 * (a q of 0 refuses; `*` accepts either); undefined: as it is.
 */
export function preferredCoding(acceptEncoding: string | undefined): Coding | undefined {
  if (acceptEncoding === undefined || acceptEncoding === "") return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params
      .map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)?.[1])
      .find((v) => v !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const star = accepted.get("*");
  const acceptable = (coding: Coding) => (accepted.get(coding) ?? star ?? 0) > 0;
  if (acceptable("br")) return "br";
  if (acceptable("gzip")) return "gzip";
  return undefined;
}

/**
 * Answers with `body` as `contentType`. A shared body goes out compressed when the client accepts
 * it and it is worth it, with an ETag per representation (a tag of the bytes, suffixed with the
 * coding) and a 304 for a client that has it. Every such answer varies by Accept-Encoding.
 */
export async function sendBody(
  c: Context,
  body: EncodedBody | string,
  contentType: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    ...extraHeaders,
    "Content-Type": contentType,
    Vary:
      extraHeaders.Vary === undefined ? "Accept-Encoding" : `${extraHeaders.Vary}, Accept-Encoding`,
  };
  if (typeof body === "string") return c.body(body, 200, headers);
  const coding =
    body.bytes.byteLength >= MIN_COMPRESSED_BYTES
      ? preferredCoding(c.req.header("accept-encoding"))
      : undefined;
  const etag = coding === undefined ? `"${body.tag}"` : `"${body.tag}-${coding}"`;
  headers.ETag = etag;
  const ifNoneMatch = c.req.header("if-none-match");
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, etag))
    return c.body(null, 304, headers);
  if (coding === undefined) return c.body(body.bytes, 200, headers);
  headers["Content-Encoding"] = coding;
  return c.body(await compressedForm(body, coding), 200, headers);
}

function compressedForm(body: EncodedBody, coding: Coding): Promise<Bytes> {
  let form = body.compressed.get(coding);
  if (form === undefined) {
    form = compressors[coding](body.bytes) as Promise<Bytes>;
    body.compressed.set(coding, form);
  }
  return form;
}
