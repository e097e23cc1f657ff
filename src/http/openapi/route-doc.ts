import type { z } from "zod";

/**
 * What the OpenAPI document says about one route. Each routes module exports its list next to
 * its handlers, built from the same zod schemas the handlers validate with.
 */
export interface RouteDoc {
  readonly method: "get" | "post" | "patch" | "put" | "delete";
  /** OpenAPI path under /api/v1, with `{param}` placeholders, e.g. `/posts/{id}/comments`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  /** "required": 401 without credentials; "optional": reads that show more to a caller. */
  readonly auth: "none" | "optional" | "required";
  readonly body?: z.ZodType;
  /** A multipart/form-data upload: the picture in field `file` (and, on the legacy form, `type`). */
  readonly upload?: { readonly maxBytes: number; readonly typeField: boolean };
  readonly query?: z.ZodType;
  /** Status of success (200 unless said). */
  readonly status?: 200 | 201;
  /** The documented failures, beyond 400/401/429/500 which every route may answer. */
  readonly errors?: readonly (403 | 404 | 409 | 410 | 413 | 422)[];
}
