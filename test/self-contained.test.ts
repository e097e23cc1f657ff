import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// A fresh clone must pass `npm test` with nothing beside it: no source, test, benchmark or script
// may read a file outside the repository (as the fixtures once did from ../shared).

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const SCANNED = ["src", "test", "bench", "migrations", ".ci"];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : filesUnder(path);
    return /\.(ts|sh)$|^run$/.test(entry.name) ? [path] : [];
  });
}

/** Relative paths in string literals that resolve outside the repository, as `file → path`. */
function escapes(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/["'`]((?:\.\.\/)+[^"'`\s]*)["'`]/g)]
    .map((m) => m[1] ?? "")
    .filter((path) => {
      const target = resolve(join(file, ".."), path);
      return target !== ROOT && !target.startsWith(`${ROOT}/`);
    })
    .map((path) => `${relative(ROOT, file)} → ${path}`);
}

describe("the repository is self-contained", () => {
  const files = SCANNED.flatMap((dir) => filesUnder(join(ROOT, dir)));

  it("scans the code that runs in tests", () => {
    expect(files.map((f) => relative(ROOT, f))).toContain("test/harness/fake-remote.ts");
  });

  it("reads no file outside the repository", () => {
    expect(files.flatMap(escapes)).toEqual([]);
  });

  it("carries the real fediverse payloads the federation tests replay", () => {
    const fixtures = readdirSync(join(ROOT, "test/fixtures/activitypub"), { recursive: true });
    expect(fixtures.filter((f) => String(f).endsWith(".json")).length).toBeGreaterThan(100);
  });
});
