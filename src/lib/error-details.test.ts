import { describe, expect, it } from "vitest";
import { errorDetails } from "./error-details.ts";

describe("errorDetails", () => {
  it("keeps name, message, stack, code and the whole cause chain, as JSON survives", () => {
    const root = Object.assign(new Error("duplicate key value violates unique constraint"), {
      code: "23505",
      constraint: "agents_ap_id_key",
      table: "agents",
      detail: "Key (ap_id)=(https://beta.test/ap/actors/kelp) already exists.",
    });
    const outer = new TypeError("Could not store the remote actor", { cause: root });
    const details = JSON.parse(JSON.stringify(errorDetails(outer)));
    expect(details).toMatchObject({
      name: "TypeError",
      message: "Could not store the remote actor",
      stack: expect.stringContaining("TypeError: Could not store the remote actor"),
      cause: {
        name: "Error",
        message: "duplicate key value violates unique constraint",
        stack: expect.stringContaining("at "),
        code: "23505",
        constraint: "agents_ap_id_key",
        table: "agents",
      },
    });
    // The offending values may be secret: the constraint names the problem well enough.
    expect(JSON.stringify(details)).not.toContain("Key (ap_id)");
  });

  it("describes what is not an Error, the errors of an AggregateError, and stops at cycles", () => {
    expect(errorDetails("plain string")).toEqual({ name: "string", message: "plain string" });
    expect(errorDetails({ status: 500 })).toEqual({ name: "object", message: '{"status":500}' });
    const both = errorDetails(new AggregateError([new Error("a"), 42], "both failed"));
    expect(both.errors?.map((e) => e.message)).toEqual(["a", "42"]);
    const cyclic = new Error("loop");
    cyclic.cause = cyclic;
    expect(() => JSON.stringify(errorDetails(cyclic))).not.toThrow();
  });
});
