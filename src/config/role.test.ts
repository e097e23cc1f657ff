import { describe, expect, it } from "vitest";
import { ConfigError } from "./config.ts";
import { parseRole, runsWorkers, servesHttp } from "./role.ts";

describe("process roles", () => {
  it("defaults to all, and reads --role in both spellings", () => {
    expect(parseRole([])).toBe("all");
    expect(parseRole(["--role", "web"])).toBe("web");
    expect(parseRole(["--role=worker"])).toBe("worker");
  });

  it("web serves HTTP only, worker delivers only, all does both", () => {
    expect([servesHttp("web"), runsWorkers("web")]).toEqual([true, false]);
    expect([servesHttp("worker"), runsWorkers("worker")]).toEqual([false, true]);
    expect([servesHttp("all"), runsWorkers("all")]).toEqual([true, true]);
  });

  it("refuses unknown roles and arguments with the usage", () => {
    expect(() => parseRole(["--role", "cron"])).toThrow(ConfigError);
    expect(() => parseRole(["--role"])).toThrow(/Unknown role ""[\s\S]*--role web\|worker\|all/);
    expect(() => parseRole(["--verbose"])).toThrow(/Unknown argument --verbose/);
  });
});
