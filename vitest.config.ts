import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["test/runtime/**", "test/browser/**", "node_modules/**"],
    pool: "forks",
    // Federation tests run several instances (and PostgreSQL) on 2 noisy cores: a stall is not a failure.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    expect: { requireAssertions: true },
    setupFiles: ["test/setup.ts"],
  },
});
