import { describe, expect, it } from "vitest";
import { encodeListEnvelope, listEnvelope } from "./lists.ts";

const page = {
  items: [
    { id: "a", title: 'Quotes " and \\ and \u2028', n: 1.5, nested: { x: null }, skip: undefined },
    { id: "b", title: "ünïcödé", list: [1, "two", null] },
  ],
  limit: 25,
  offset: 0,
  hasMore: true,
  nextCursor: "abc",
};

describe("encodeListEnvelope", () => {
  it("gives exactly the bytes of JSON.stringify(listEnvelope(…))", () => {
    for (const [key, extra] of [
      ["posts", { sort: "hot", authenticated: true }],
      ["results", { query: "q", posts: page.items }],
      ["comments", {}],
      ["posts", { count: 99, pagination: "moved" }],
      ["posts", { data: "replaced" }],
      ["data", {}],
      ["posts", { posts: [] }],
    ] as const) {
      expect(encodeListEnvelope(key, page, extra)).toBe(
        JSON.stringify(listEnvelope(key, page, extra)),
      );
    }
    const empty = { ...page, items: [], hasMore: false, nextCursor: null };
    expect(encodeListEnvelope("posts", empty)).toBe(JSON.stringify(listEnvelope("posts", empty)));
  });

  it("reuses the encoding of deeply frozen items only", () => {
    const frozen = Object.freeze({ id: "f", author: Object.freeze({ name: "reef" }) });
    const shallow = Object.freeze({ id: "s", author: { name: "reef" } });
    const list = (items: readonly object[]) => ({ ...page, items });
    const before = encodeListEnvelope("posts", list([frozen, shallow]));
    expect(before).toBe(JSON.stringify(listEnvelope("posts", list([frozen, shallow]))));
    shallow.author.name = "renamed";
    expect(encodeListEnvelope("posts", list([frozen, shallow]))).toBe(
      JSON.stringify(listEnvelope("posts", list([frozen, shallow]))),
    );
  });

  it("encodes the list once, though the envelope carries it twice (as the key and as data)", () => {
    let encoded = 0;
    const item = (id: string) => ({
      toJSON: () => {
        encoded++;
        return { id };
      },
    });
    const text = encodeListEnvelope("posts", { ...page, items: [item("a"), item("b")] });
    expect(encoded).toBe(2);
    const parsed = JSON.parse(text);
    expect(parsed.posts).toEqual([{ id: "a" }, { id: "b" }]);
    expect(parsed.data).toEqual(parsed.posts);
    // Encoding the envelope as it is would have encoded every item twice.
    encoded = 0;
    JSON.stringify(listEnvelope("posts", { ...page, items: [item("a"), item("b")] }));
    expect(encoded).toBe(4);
  });
});
