import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The import rules of HOUSE-STYLE §2: each folder of src/ may depend only on the layers below it.

const ROOT = new URL("..", import.meta.url).pathname;

type Rule = { readonly forbidden: readonly RegExp[] };

const npm = (name: string) => new RegExp(`^npm:${name}(/|$)`);
const SRC = (folder: string) => new RegExp(`^src/${folder}/`);

const RULES: Record<string, Rule> = {
  domain: {
    forbidden: [
      SRC("(db|repos|views|services|federation|http|worker|cli|config)"),
      npm("kysely"),
      npm("hono"),
      npm("@fedify"),
      npm("pg"),
      npm("better-sqlite3"),
    ],
  },
  db: {
    forbidden: [
      SRC("(repos|views|services|federation|http|worker|cli)"),
      npm("hono"),
      npm("@fedify"),
    ],
  },
  repos: {
    forbidden: [SRC("(views|services|federation|http|worker|cli)"), npm("hono"), npm("@fedify")],
  },
  views: { forbidden: [SRC("(services|federation|http|worker|cli)"), npm("hono"), npm("@fedify")] },
  services: {
    forbidden: [SRC("(db|federation|http|worker|cli)"), npm("kysely"), npm("hono"), npm("@fedify")],
  },
  federation: { forbidden: [SRC("(http|worker|cli)"), npm("hono")] },
  http: { forbidden: [SRC("(repos|db|federation|worker|cli)"), npm("kysely")] },
  // The site: pages, feeds and live streams, on the same footing as the HTTP layer.
  web: { forbidden: [SRC("(repos|db|federation|worker|cli)"), npm("kysely"), npm("@fedify")] },
  worker: { forbidden: [SRC("(http|cli)"), npm("hono")] },
  lib: {
    forbidden: [
      SRC("(domain|db|repos|views|services|federation|http|worker|cli|config)"),
      npm("kysely"),
      npm("hono"),
      npm("@fedify"),
    ],
  },
  config: {
    forbidden: [
      SRC("(db|repos|views|services|federation|http|worker|cli)"),
      npm("kysely"),
      npm("hono"),
      npm("@fedify"),
    ],
  },
};

// Narrow, named exceptions: Fedify's stores are built on our database; only the federation.fetch
// bridge in http/app.ts may touch Fedify from the HTTP layer; services and routes may name the
// row types (type-only imports of db/schema.ts: no runtime tie to the database layer). The
// markdown renderer may use Fedify's markdown-it plugins: plain markdown-it rules, no federation.
const ALLOWED: readonly [string, RegExp][] = [
  ["src/federation/stores/", /^src\/db\//],
  ["src/http/app.ts", /^npm:@fedify\/fedify$/],
  ["src/lib/markdown.ts", /^npm:@fedify\/markdown-it-(mention|hashtag)$/],
];
const TYPE_ONLY_ALLOWED = /^src\/db\/schema\.ts$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Every import of a file, as `src/...`/`migrations/...` paths or `npm:<package>`. */
function importsOf(file: string): string[] {
  return importEdges(file).map((edge) => edge.target);
}

function importEdges(file: string): { target: string; typeOnly: boolean }[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(
      /(?:import|export)([^"'`;]*?)from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    ),
  ].map((m) => {
    const specifier = m[2] ?? m[3] ?? "";
    return {
      target: specifier.startsWith(".")
        ? relative(ROOT, join(file, "..", specifier))
        : `npm:${specifier}`,
      typeOnly: /^\s*type\s/.test(m[1] ?? ""),
    };
  });
}

describe("import boundaries", () => {
  const files = filesUnder(join(ROOT, "src")).map((f) => relative(ROOT, f));

  it("finds the source files it checks", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(importsOf(join(ROOT, "src/app.ts"))).toContain("src/http/app.ts");
  });

  it("keeps every folder to the layers it may use", () => {
    const violations: string[] = [];
    for (const file of files) {
      const folder = file.split("/")[1] ?? "";
      const rule = RULES[folder];
      if (rule === undefined) continue;
      for (const { target, typeOnly } of importEdges(join(ROOT, file))) {
        if (ALLOWED.some(([from, to]) => file.startsWith(from) && to.test(target))) continue;
        if (typeOnly && TYPE_ONLY_ALLOWED.test(target)) continue;
        if (rule.forbidden.some((pattern) => pattern.test(target)))
          violations.push(`${file} → ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("keeps migrations frozen: they import only kysely and their own folder", () => {
    const violations = filesUnder(join(ROOT, "migrations")).flatMap((file) =>
      importsOf(file)
        .filter((t) => !(t === "npm:kysely" || t.startsWith("migrations/")))
        .map((t) => `${relative(ROOT, file)} → ${t}`),
    );
    expect(violations).toEqual([]);
  });

  it("reads the environment only in the entry points", () => {
    const readers = files.filter((f) =>
      /process\.env\b|Deno\.env\b/.test(readFileSync(join(ROOT, f), "utf8")),
    );
    expect(readers.filter((f) => !/^src\/(main\.ts|cli\/)/.test(f))).toEqual([]);
  });
});
