import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Tests block their thread in Atomics.wait and start real workers: run each file in its own process.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Timing bounds in these tests leave room for a noisy 2-core machine; two files at a time keeps it honest.
    maxWorkers: 2,
    projects: [
      // Everything, over the default transport (shared memory, structured clone as its fallback).
      { extends: true, test: { name: "shm", include: ["test/**/*.test.ts"] } },
      // The property, stress and fuzz tests again, over the port-only transport.
      {
        extends: true,
        test: { name: "port", include: ["test/properties.test.ts", "test/stress.test.ts", "test/fuzz.test.ts"], env: { SYNCHRONICITY_TRANSPORT: "port" } },
      },
    ],
  },
});
