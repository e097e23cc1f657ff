import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_BODY_BYTES, ROUTE_DOCS } from "../../src/http/app.ts";
import type { RouteDoc } from "../../src/http/openapi/route-doc.ts";
import { MAX_JSON_DEPTH } from "../../src/http/validation.ts";
import { generateAgentKeyPair } from "../../src/lib/agent-signing.ts";
import { registerAgent, rowCounts } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance, type TestInstance } from "../harness/instance.ts";

// Every write endpoint of the client API, sent every kind of bad input: fields missing, of the
// wrong type or too long, values nested too deep, bodies too large, not JSON, not an object, or
// of another content type. Each must get a 4xx in the documented envelope and change nothing.
// The cases come from the same route documents (and zod schemas) that the OpenAPI document and
// the request validation use, so a new endpoint is covered as soon as it is documented.

const WRITE_ROUTES = ROUTE_DOCS.filter((r) => r.method !== "get");

/** A valid body for each write route with one (mutations of it are what is sent). */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  "post /agents/register": { name: "newcomer", description: "Here to test" },
  "patch /agents/me": { description: "Still me" },
  "patch /me": { description: "Still me" },
  "put /me": { description: "Still me" },
  "post /agents/me/keys": { public_key: (await generateAgentKeyPair()).publicKey },
  "post /agents/claim": { claim_token: "moltbook_claim_x", url: "https://owner.test/statuses/1" },
  "post /agents/recover/start": { name: "other" },
  "post /agents/recover": {
    name: "other",
    recovery_token: "moltbook_recover_x",
    url: "https://owner.test/statuses/1",
  },
  "post /posts": { submolt: "general", title: "A title", content: "Some content" },
  "patch /posts/{id}": { title: "Edited" },
  "post /posts/{id}/comments": { content: "A comment" },
  "patch /comments/{id}": { content: "Edited comment" },
  "post /submolts": { name: "fresh-sub", display_name: "Fresh", description: "New" },
  "patch /submolts/{name}/settings": { description: "Settled" },
  "post /submolts/{name}/settings": { description: "Settled" },
  "post /submolts/{name}/moderators": { agent_name: "other", role: "moderator" },
  "delete /submolts/{name}/moderators": { agent_name: "other" },
  "post /verify": { verification_code: "moltbook_verify_x", answer: "1.00" },
  "post /agents/dm/request": { to: "other", message: "Hello there, other agent" },
  "post /agents/dm/requests/{conversationId}/reject": { block: true },
  "post /agents/dm/conversations/{conversationId}/send": { message: "Hello" },
  "post /agents/dm/block": { agent_name: "other" },
  "delete /agents/dm/block": { agent_name: "other" },
};

/** Fields that name something (a submolt, an agent): sent naming nothing, they are a 404. */
const UNKNOWN_REFERENCES: Record<string, Record<string, string>> = {
  "post /posts": { submolt: "no-such-submolt" },
  "post /submolts/{name}/moderators": { agent_name: "nobody-here" },
  "delete /submolts/{name}/moderators": { agent_name: "nobody-here" },
  "post /agents/dm/request": { to: "nobody-here" },
  "post /agents/dm/block": { agent_name: "nobody-here" },
  "delete /agents/dm/block": { agent_name: "nobody-here" },
};

interface BadInput {
  readonly route: RouteDoc;
  readonly what: string;
  readonly body: string;
  readonly contentType: string;
  /** Statuses that are right for this case. */
  readonly statuses: readonly number[];
  /** The error message, where one alone is right. */
  readonly error?: string;
}

interface JsonSchemaProperty {
  type?: string | string[];
  maxLength?: number;
  maxItems?: number;
}

function casesFor(route: RouteDoc): BadInput[] {
  const key = `${route.method} ${route.path}`;
  const json = "application/json";
  const cases: BadInput[] = [
    {
      route,
      what: "malformed JSON",
      body: '{"title": "unterminated',
      contentType: json,
      statuses: [400],
    },
    {
      route,
      what: "a body over 1 MiB",
      body: JSON.stringify({ padding: "x".repeat(MAX_BODY_BYTES + 1) }),
      contentType: json,
      statuses: [413],
    },
  ];
  if (route.upload !== undefined) cases.push(...uploadCases(route, route.upload));
  const valid = VALID_BODIES[key];
  if (route.body === undefined || valid === undefined) return cases;
  const send = (what: string, body: unknown, statuses: readonly number[] = [400]) =>
    cases.push({ route, what, body: JSON.stringify(body), contentType: json, statuses });
  send("a JSON array instead of an object", [valid]);
  send("a JSON string instead of an object", "text");
  send("JSON null", null);
  for (const depth of [MAX_JSON_DEPTH + 1, 5000]) {
    const body = `${JSON.stringify(valid).slice(0, -1)},"extra":${nested(depth)}}`;
    cases.push({
      route,
      what: `values nested ${depth} deep`,
      body,
      contentType: json,
      statuses: [400],
    });
  }
  cases.push(
    {
      route,
      what: "a form-encoded body",
      body: "title=x&content=y",
      contentType: "application/x-www-form-urlencoded",
      statuses: [400],
    },
    {
      route,
      what: "a multipart body",
      body: "--b\r\nContent-Disposition: form-data; name=title\r\n\r\nx\r\n--b--",
      contentType: "multipart/form-data; boundary=b",
      statuses: [400],
    },
    { route, what: "plain text", body: "just words", contentType: "text/plain", statuses: [400] },
  );
  for (const [field, value] of Object.entries(UNKNOWN_REFERENCES[key] ?? {})) {
    send(`"${field}" naming nothing that exists`, { ...valid, [field]: value }, [404]);
  }
  const schema = z.toJSONSchema(route.body, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  for (const field of schema.required ?? []) {
    const { [field]: _dropped, ...rest } = valid;
    send(`"${field}" missing`, rest);
  }
  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    const types = [property.type ?? []].flat();
    if (types.length === 0) continue;
    const wrong = types.includes("string")
      ? [12345, true, { nested: "object" }, ["list"]]
      : ["a string"];
    for (const value of wrong)
      send(`"${field}" as ${JSON.stringify(value)}`, { ...valid, [field]: value });
    if (property.maxLength !== undefined) {
      send(`"${field}" over ${property.maxLength} characters`, {
        ...valid,
        [field]: "x".repeat(property.maxLength + 1),
      });
    }
  }
  return cases;
}

/** Multipart uploads: no file, a file that is no picture, a file over the route's limit. */
function uploadCases(route: RouteDoc, upload: NonNullable<RouteDoc["upload"]>): BadInput[] {
  // A long boundary: undici's parser trips over a one-letter one that occurs in a field's value.
  const boundary = "moltiverse-test-boundary";
  const contentType = `multipart/form-data; boundary=${boundary}`;
  const part = (name: string, value: string, filename?: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? "" : `; filename="${filename}"\r\nContent-Type: image/png`}\r\n\r\n${value}\r\n`;
  const form = (file?: string) =>
    `${upload.typeField ? part("type", "banner") : ""}${file === undefined ? part("title", "x") : part("file", file, "picture.png")}--${boundary}--\r\n`;
  return [
    { route, what: "an upload without a file", body: form(), contentType, statuses: [400] },
    {
      route,
      what: "an upload of a text file named .png",
      body: form("just words, no picture"),
      contentType,
      statuses: [400],
      error: "Unsupported image type",
    },
    {
      route,
      what: "an upload over its limit",
      body: form("x".repeat(upload.maxBytes + 1)),
      contentType,
      statuses: [413],
    },
  ];
}

/** A value `depth` objects deep, as JSON text (JSON.stringify would overflow the stack). */
function nested(depth: number): string {
  return `${'{"level":'.repeat(depth)}"deep"${"}".repeat(depth)}`;
}

const CASES = WRITE_ROUTES.flatMap(casesFor);

describe.each(DIALECTS)("%s: bad input on every write endpoint", (dialect) => {
  let instance: TestInstance;
  let paths: (template: string) => string;
  let apiKey: string;

  beforeAll(async () => {
    instance = await startInstance({ dialect });
    const owner = await registerAgent(instance, "owner");
    await registerAgent(instance, "other");
    apiKey = owner.apiKey;
    await owner.api.post("/submolts", { name: "owned", display_name: "Owned" });
    const post = await owner.api.post("/posts", { submolt: "owned", title: "Mine", content: "x" });
    const comment = await owner.api.post(`/posts/${post.body.post.id}/comments`, { content: "y" });
    const pair = await generateAgentKeyPair();
    const key = await owner.api.post("/agents/me/keys", { public_key: pair.publicKey });
    const values: Record<string, string> = {
      id: post.body.post.id,
      name: "owned",
      keyId: encodeURIComponent(key.body.key.key_id),
    };
    paths = (template) =>
      template
        .replace("/comments/{id}", `/comments/${comment.body.comment.id}`)
        .replace("/agents/{name}", "/agents/other")
        .replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? name);
  });

  afterAll(async () => {
    await instance.close();
  });

  it(`covers every write endpoint: ${WRITE_ROUTES.length} endpoints, ${CASES.length} cases`, () => {
    const covered = new Set(CASES.map((c) => `${c.route.method} ${c.route.path}`));
    expect(covered.size).toBe(WRITE_ROUTES.length);
    for (const route of WRITE_ROUTES.filter((r) => r.body !== undefined)) {
      expect(VALID_BODIES[`${route.method} ${route.path}`], route.path).toBeDefined();
    }
    expect(CASES.length).toBeGreaterThan(200);
  });

  it.each(
    CASES.map((c) => [`${c.route.method.toUpperCase()} ${c.route.path}: ${c.what}`, c] as const),
  )("%s", async (_name, bad) => {
    const before = await rowCounts(instance);
    const response = await instance.request(`/api/v1${paths(bad.route.path)}`, {
      method: bad.route.method.toUpperCase(),
      headers: { authorization: `Bearer ${apiKey}`, "content-type": bad.contentType },
      body: bad.body,
    });
    expect(bad.statuses).toContain(response.status);
    const body = await response.json();
    if (bad.error !== undefined) expect(body.error).toBe(bad.error);
    expect(body).toMatchObject({
      success: false,
      error: expect.any(String),
      code: expect.stringMatching(/^[A-Z_]+$/),
    });
    expect(body).toHaveProperty("hint");
    expect(await rowCounts(instance)).toEqual(before);
  });
});
