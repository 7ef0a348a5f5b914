import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Pins fast-check's seed (see the file).
    setupFiles: ["test/helpers/fast-check-setup.ts"],
    // One private temp folder per run, removed at the end; a test that leaves files there fails the run.
    globalSetup: ["test/helpers/temp-root.ts"],
    // Crawl tests spawn servers and child processes; keep the pool small on 2-core machines.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
