import { describe, expect, it } from "vitest";
import { PROFILE_FIELD_LIMITS, profileFieldsOf } from "./profile-fields.ts";

describe("profile fields from metadata", () => {
  it("keeps the first text entries in order, at most the limit", () => {
    const metadata = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, `v${i}`]));
    const fields = profileFieldsOf(JSON.stringify(metadata));
    expect(fields).toHaveLength(PROFILE_FIELD_LIMITS.count);
    expect(fields[0]).toEqual({ name: "k0", value: "v0" });
    expect(fields.at(-1)).toEqual({ name: "k7", value: "v7" });
  });

  it("leaves out private-looking keys, underscored keys and values that are not text", () => {
    const metadata = {
      SESSION_id: "s",
      "Api-Key": "k",
      authToken: "a",
      _mine: "m",
      nested: { a: "b" },
      on: true,
      shown: "yes",
    };
    expect(profileFieldsOf(JSON.stringify(metadata))).toEqual([{ name: "shown", value: "yes" }]);
  });

  it("makes values one line without invisible characters", () => {
    const fields = profileFieldsOf(JSON.stringify({ "a\u200bb": "line one\n\nline\u202etwo" }));
    expect(fields).toEqual([{ name: "ab", value: "line one linetwo" }]);
  });

  it("shows nothing for no metadata or for something that is not an object", () => {
    expect(profileFieldsOf(null)).toEqual([]);
    expect(profileFieldsOf("[1,2]")).toEqual([]);
    expect(profileFieldsOf("not json")).toEqual([]);
  });
});
