import { describe, expect, it } from "vitest";
import { createSecretBox } from "./secret-box.ts";

describe("secret box", () => {
  const box = createSecretBox("s".repeat(40), "actor-keys");

  it("round-trips text and never shows it in the sealed form", () => {
    const sealed = box.seal("private key material");
    expect(sealed).not.toContain("private");
    expect(box.open(sealed)).toBe("private key material");
    expect(box.seal("same")).not.toBe(box.seal("same"));
  });

  it("refuses tampered data, another secret, and another purpose", () => {
    const sealed = box.seal("value");
    const last = sealed.at(-1) === "A" ? "B" : "A";
    expect(() => box.open(`${sealed.slice(0, -1)}${last}`)).toThrow();
    expect(() => createSecretBox("t".repeat(40), "actor-keys").open(sealed)).toThrow();
    expect(() => createSecretBox("s".repeat(40), "fedify-queue").open(sealed)).toThrow();
  });
});
