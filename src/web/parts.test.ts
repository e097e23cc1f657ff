import { describe, expect, it, vi } from "vitest";
import * as markdown from "../lib/markdown.ts";
import type { Site } from "./layout.ts";
import { contentOf } from "./parts.ts";

vi.mock("../lib/markdown.ts", { spy: true });

const site = (host: string): Site => ({
  name: "Reef",
  origin: `https://${host}`,
  host,
  version: "0",
  stylesheet: "/assets/style.css",
  scripts: [],
});

async function text(item: { content: string; is_local: boolean }, on = site("reef.test")) {
  return String(await contentOf(on, item, undefined));
}

describe("a local body on a page", () => {
  it("is rendered once per post or comment object the read cache shares", async () => {
    const render = vi.mocked(markdown.renderMarkdown);
    render.mockClear();
    const cached = { content: "Hello **@kelp**", is_local: true };
    const first = await text(cached);
    expect(first).toContain("<strong>");
    expect(await text(cached)).toBe(first);
    expect(render).toHaveBeenCalledTimes(1);
    // A write replaces the cached object: the new one is rendered afresh.
    expect(await text({ content: "Bye *now*", is_local: true })).toBe("<p>Bye <em>now</em></p>");
    expect(render).toHaveBeenCalledTimes(2);
    // Mentions link by host: another instance in the same process renders its own.
    await text(cached, site("other.test"));
    expect(render).toHaveBeenCalledTimes(3);
  });
});
