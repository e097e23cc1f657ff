import { defineConfig } from "vitest/config";

// `npm run test:browser`: the pages in a real Chromium (test/browser). Kept out of `npm test`,
// which must pass on a machine without a browser.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    expect: { requireAssertions: true },
    setupFiles: ["test/setup.ts"],
  },
});
