import { describe, expect, it } from "vitest";
import { publicAgentName, toRemoteName } from "./names.ts";

const actor = new URL("https://evil.example/users/fallback%20one");

describe("remote names", () => {
  it.each([
    ["kelp", "kelp"],
    ["Kelp.Forest-2", "Kelp.Forest-2"],
    ["\uFF41\uFF44\uFF4D\uFF49\uFF4E", "admin"],
    ["ad\u200Bmin\uFEFF", "admin"],
    ["\u202Eadmin", "admin"],
    ["two words", "fallbackone"],
    ["<b>x</b>", "fallbackone"],
    ["", "fallbackone"],
    [undefined, "fallbackone"],
    ["x".repeat(65), "fallbackone"],
  ])("%j is kept as %j", (preferred, expected) => {
    expect(toRemoteName(preferred, actor)).toBe(expected);
  });

  it("falls back to 'actor' when the URL names nothing usable", () => {
    expect(toRemoteName("\u200B", new URL("https://evil.example/%E2%80%8B/"))).toBe("actor");
  });

  it("names remote agents with their host, local ones bare", () => {
    expect(publicAgentName({ name: "admin", host: "evil.example", is_local: 0 })).toBe(
      "admin@evil.example",
    );
    expect(publicAgentName({ name: "reef", host: "alpha.test", is_local: 1 })).toBe("reef");
  });
});
