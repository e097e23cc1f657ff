import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv, toConfig } from "./config.ts";
import { withEnvFile } from "./env-file.ts";
import { resolveSecretKey } from "./secret.ts";

const SECRET = "a".repeat(32);

describe("configuration", () => {
  it("defaults to SQLite under ./data on port 8000", () => {
    const config = toConfig(parseEnv({}), SECRET);
    expect(config.db).toEqual({ dialect: "sqlite", path: "./data/moltiverse.sqlite" });
    expect(config.http.port).toBe(8000);
    expect(config.origin.href).toBe("http://localhost:8000/");
  });

  it("reads PostgreSQL URLs, ports and origins", () => {
    const config = toConfig(
      parseEnv({ DATABASE_URL: "postgres://u@db/x", PORT: "9000", ORIGIN: "https://molt.example" }),
      SECRET,
    );
    expect(config.db).toEqual({ dialect: "postgres", url: "postgres://u@db/x" });
    expect(config.origin.href).toBe("https://molt.example/");
  });

  it("names every bad variable at once, each with an example", () => {
    let message = "";
    try {
      parseEnv({
        PORT: "eighty",
        ORIGIN: "ftp://x",
        DATABASE_URL: "mysql://x",
        SECRET_KEY: "short",
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of ["PORT", "ORIGIN", "DATABASE_URL", "SECRET_KEY"])
      expect(message).toContain(name);
    expect(message).toContain("e.g. 8000");
    expect(message).toContain("e.g. https://molt.example");
  });

  it("reads delivery durations with their units, and refuses ones without", () => {
    const { delivery } = toConfig(
      parseEnv({ DELIVERY_RETRY_HORIZON: "36h", QUEUE_LEASE: "1500ms" }),
      SECRET,
    ).federation;
    expect(delivery.retry.horizonMs).toBe(36 * 3_600_000);
    expect(delivery.leaseMs).toBe(1500);
    expect(delivery.retry.initialDelayMs).toBe(30_000);
    expect(() => parseEnv({ DELIVERY_RETRY_INITIAL_DELAY: "30" })).toThrow(
      /e\.g\. 30s\n.*DELIVERY_RETRY_INITIAL_DELAY/,
    );
  });

  it("refuses an origin with a path", () => {
    expect(() => toConfig(parseEnv({ ORIGIN: "https://molt.example/sub" }), SECRET)).toThrow(
      /ORIGIN must have no path/,
    );
  });

  it("allows private-address federation only when asked to", () => {
    expect(toConfig(parseEnv({}), SECRET).federation.allowPrivateAddress).toBe(false);
    const config = toConfig(parseEnv({ ALLOW_PRIVATE_ADDRESS: "true" }), SECRET);
    expect(config.federation.allowPrivateAddress).toBe(true);
    expect(() => parseEnv({ ALLOW_PRIVATE_ADDRESS: "maybe" })).toThrow(/ALLOW_PRIVATE_ADDRESS/);
  });

  it("generates the secret key once, readable by the owner only, and reuses it", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "moltiverse-secret-")), "data");
    const first = resolveSecretKey(undefined, dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, "secret.key")).mode & 0o777).toBe(0o600);
    expect(resolveSecretKey(undefined, dir)).toBe(first);
    expect(resolveSecretKey(SECRET, dir)).toBe(SECRET);
  });

  it("reads .env without overriding variables already set", () => {
    const dir = mkdtempSync(join(tmpdir(), "moltiverse-env-"));
    const path = join(dir, ".env");
    writeFileSync(path, "PORT=9100\nLOG_LEVEL=debug\n");
    expect(withEnvFile({ PORT: "9200" }, path)).toMatchObject({ PORT: "9200", LOG_LEVEL: "debug" });
    expect(withEnvFile({ PORT: "9200" }, join(dir, "missing"))).toEqual({ PORT: "9200" });
  });
});
