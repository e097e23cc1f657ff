import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["test/runtime/**", "node_modules/**"],
    pool: "forks",
    testTimeout: 10_000,
    hookTimeout: 30_000,
    expect: { requireAssertions: true },
    setupFiles: ["test/setup.ts"],
  },
});
