import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { logRecords } from "../../test/harness/logs.ts";
import { AppError, ERROR_CODES } from "../domain/errors.ts";
import { ERROR_RESPONSES, onError } from "./errors.ts";

function appThrowing(error: unknown): Hono {
  const app = new Hono();
  app.onError(onError);
  app.get("/", () => {
    throw error;
  });
  return app;
}

describe("error envelope", () => {
  it("maps every domain error code to a status and an upper-case API code", () => {
    for (const code of ERROR_CODES) {
      expect(ERROR_RESPONSES[code].code).toMatch(/^[A-Z_]+$/);
      expect(ERROR_RESPONSES[code].status).toBeGreaterThanOrEqual(400);
    }
  });

  it("renders an AppError with its message, code, hint and extra fields", async () => {
    const error = new AppError("rate_limited", "Slow down", {
      hint: "Wait 30 minutes before posting again",
      details: { retry_after_minutes: 30 },
    });
    const response = await appThrowing(error).request("/");
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({
      success: false,
      error: "Slow down",
      code: "RATE_LIMITED",
      hint: "Wait 30 minutes before posting again",
      retry_after_minutes: 30,
    });
  });

  it("never lets details overwrite the envelope's own fields", async () => {
    const error = new AppError("conflict", "Taken", { details: { success: true, code: "OK" } });
    const body = await (await appThrowing(error).request("/")).json();
    expect(body).toMatchObject({ success: false, code: "CONFLICT" });
  });

  it("turns an unexpected error into a 500 that leaks nothing", async () => {
    const response = await appThrowing(new Error("SELECT secret FROM agents failed")).request("/");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("secret");
    expect(JSON.parse(text)).toEqual({
      success: false,
      error: "Internal server error",
      code: "INTERNAL_ERROR",
      hint: "Please try again later",
    });
  });

  it("logs an unexpected error's message, stack and cause, which JSON keeps", async () => {
    const cause = new Error("connection terminated unexpectedly");
    const error = new Error("Could not load the actor", { cause });
    expect((await appThrowing(error).request("/")).status).toBe(500);
    const record = logRecords().find((r) => r.rawMessage.toString().startsWith("Unhandled error"));
    expect(JSON.parse(JSON.stringify(record?.properties))).toMatchObject({
      method: "GET",
      path: "/",
      error: {
        name: "Error",
        message: "Could not load the actor",
        stack: expect.stringContaining("at "),
        cause: { message: "connection terminated unexpectedly", stack: expect.any(String) },
      },
    });
  });
});
