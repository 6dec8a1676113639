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
      // The calls, callbacks, generators, hangs, properties and fuzz again, with the one-CPU policy (never spin; the
      // worker blocks in Atomics.wait between requests): the path a machine of one core takes.
      {
        extends: true,
        test: {
          name: "one-cpu",
          include: ["test/functions.test.ts", "test/callbacks.test.ts", "test/generators.test.ts", "test/hardening-hangs.test.ts", "test/properties.test.ts", "test/fuzz.test.ts"],
          env: { SYNCHRONICITY_SPIN: "never" },
        },
      },
    ],
  },
});
