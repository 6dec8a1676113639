import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests block their thread in Atomics.wait and start real workers: run each file in its own process.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Timing bounds in these tests leave room for a noisy 2-core machine; two files at a time keeps it honest.
    maxWorkers: 2,
  },
});
