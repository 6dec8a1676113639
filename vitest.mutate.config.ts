// The tests `npm run mutate` runs for each mutant (see stryker.config.mjs and docs/TESTING.md).
// MUTATE_TESTS picks the set: "unit" (test/unit: no worker, milliseconds per test, the fast
// killers), "suite" (the integration files whose tests reach the mutated modules on the caller's
// side: what the suite killed before the unit tests existed), or "all" (both; the default).
import { defineConfig } from "vitest/config";

const unit = ["test/unit/**/*.test.ts"];
const suite = ["test/values.test.ts", "test/errors.test.ts", "test/generators.test.ts"];
const sets: Record<string, string[]> = { unit, suite, all: [...unit, ...suite] };
const set = process.env["MUTATE_TESTS"] ?? "all";
if (!(set in sets)) throw new Error(`MUTATE_TESTS must be one of ${Object.keys(sets).join(", ")}, not "${set}"`);

export default defineConfig({
  test: {
    include: sets[set],
    // A fresh module graph per file, also for the unit tests: without it a module is evaluated once
    // per test worker, so mutants in code that runs at load time (Stryker's "static" mutants: class
    // bodies, tables built at the top level) were never active and were reported as survivors.
    isolate: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
