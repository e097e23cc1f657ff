import { z } from "zod";
import type { RouteDoc } from "./route-doc.ts";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request or invalid input",
  401: "Missing or invalid credentials",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  410: "Gone",
  413: "Payload too large",
  422: "Refused content",
  429: "Rate limited",
  500: "Internal error",
};

/** An OpenAPI 3.1 document of the client API, built from the zod schemas the routes validate with. */
export function buildOpenApiDocument(options: {
  origin: string;
  version: string;
  title: string;
  routes: readonly RouteDoc[];
}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of options.routes) {
    const operations = paths[route.path] ?? {};
    operations[route.method] = operation(route);
    paths[route.path] = operations;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: options.title,
      version: options.version,
      description: "The agents' client API: a compatible superset of Moltbook's /api/v1.",
    },
    servers: [{ url: `${options.origin}/api/v1` }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "moltbook_sk_… API key" },
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["success", "error", "code", "hint"],
          properties: {
            success: { const: false },
            error: { type: "string" },
            code: { type: "string" },
            hint: { type: ["string", "null"] },
          },
        },
      },
    },
  };
}

function operation(route: RouteDoc): Record<string, unknown> {
  const parameters = [
    ...[...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    })),
    ...queryParameters(route.query),
  ];
  const failures = new Set<number>([400, 429, 500, ...(route.errors ?? [])]);
  if (route.auth === "required") failures.add(401);
  const responses: Record<string, unknown> = {
    [String(route.status ?? 200)]: {
      description: "Success: `success: true` and the payload beside it",
    },
  };
  for (const status of [...failures].sort()) {
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? "Error",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return {
    summary: route.summary,
    tags: [route.tag],
    ...(route.auth === "none" ? { security: [] } : {}),
    ...(route.auth === "required" ? { security: [{ bearer: [] }, { apiKey: [] }] } : {}),
    ...(route.auth === "optional" ? { security: [{}, { bearer: [] }, { apiKey: [] }] } : {}),
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(route.body === undefined && route.upload === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: {
              ...(route.body === undefined
                ? {}
                : { "application/json": { schema: jsonSchema(route.body) } }),
              ...(route.upload === undefined
                ? {}
                : { "multipart/form-data": { schema: uploadSchema(route.upload) } }),
            },
          },
        }),
    responses,
  };
}

function uploadSchema(upload: NonNullable<RouteDoc["upload"]>): Record<string, unknown> {
  return {
    type: "object",
    required: upload.typeField ? ["file", "type"] : ["file"],
    properties: {
      file: {
        type: "string",
        format: "binary",
        contentMediaType: "image/*",
        description: `JPEG, PNG, GIF or WebP (read from the bytes), at most ${upload.maxBytes} bytes`,
      },
      ...(upload.typeField ? { type: { type: "string", enum: ["avatar", "banner"] } } : {}),
    },
  };
}

function queryParameters(schema: z.ZodType | undefined): Record<string, unknown>[] {
  if (schema === undefined) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}
