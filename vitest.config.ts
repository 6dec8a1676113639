import { fileURLToPath } from "node:url";
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
      // The caller's front as an ES module (dist/cjs/index.mjs, what `import` gets on Node 20.19,
      // 22.10 and later): vitest resolves "synchronicity-js" without the module-sync condition, so
      // the files above run the CommonJS front (dist/cjs/lib.js). These run again on the other one.
      {
        extends: true,
        resolve: { alias: [{ find: /^synchronicity-js$/, replacement: fileURLToPath(new URL("./dist/cjs/index.mjs", import.meta.url)) }] },
        test: {
          name: "esm-front",
          env: { SYNCHRONICITY_TEST_FRONT: "esm" },
          include: [
            "test/functions.test.ts", "test/values.test.ts", "test/errors.test.ts", "test/callbacks.test.ts", "test/generators.test.ts",
            "test/objects.test.ts", "test/caller-file.test.ts", "test/modules.test.ts", "test/front-form.test.ts",
            "test/bad-input.test.ts", "test/options.test.ts", "test/disposal.test.ts", "test/in-place.test.ts",
          ],
        },
      },
    ],
  },
});
