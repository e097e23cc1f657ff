import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EnvSchema } from "../../src/config/env.ts";

// Every variable the instance reads is documented where operators look.

describe("environment documentation", () => {
  const names = Object.keys(EnvSchema.shape);
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");

  it("lists every variable in the README's configuration table", () => {
    expect(names.filter((name) => !readme.includes(`| \`${name}\` |`))).toEqual([]);
  });

  it("lists every variable in .env.example", () => {
    expect(names.filter((name) => !new RegExp(`^#? ?${name}=`, "m").test(example))).toEqual([]);
  });
});
