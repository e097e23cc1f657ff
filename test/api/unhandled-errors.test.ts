import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { apiClient } from "../harness/api.ts";
import { DIALECTS } from "../harness/dialects.ts";
import { startInstance } from "../harness/instance.ts";
import { logRecords } from "../harness/logs.ts";

// An unexpected failure answers 500 and leaks nothing, but the operator's log must say what it
// was: an Error kept as a log property prints as {} in JSON logs, which hid a failing inbox.

describe.each(DIALECTS)("%s: an unhandled error", (dialect) => {
  it("is logged with its message, code and stack, in JSON too", async () => {
    await using instance = await startInstance({ dialect });
    // A database that lost a table: every listing query fails in the driver.
    await sql`alter table posts rename to posts_elsewhere`.execute(instance.db.db);

    const response = await apiClient(instance).get("/posts?sort=new");
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      success: false,
      error: "Internal server error",
      code: "INTERNAL_ERROR",
      hint: "Please try again later",
    });
    const record = logRecords().find((r) => r.rawMessage.toString().startsWith("Unhandled error"));
    expect(record?.level).toBe("error");
    const logged = JSON.parse(JSON.stringify(record?.properties.error));
    expect(logged).toMatchObject({
      name: expect.any(String),
      message: expect.stringMatching(/posts/),
      stack: expect.stringContaining("at "),
      code: dialect === "postgres" ? "42P01" : "SQLITE_ERROR",
    });
  });
});
