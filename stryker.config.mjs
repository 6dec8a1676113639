// Mutation testing (npm run mutate; not part of npm test, it takes long): Stryker changes the
// modules below one small edit at a time and checks that some test fails. docs/TESTING.md has the
// scores and explains the mutants that survive.
//
// The package's tests import the built dist/, so the sandbox is built from the mutated sources
// (buildCommand): every mutant is present in dist/ and active in the test's thread. The worker
// threads run the same code without the active mutant (Stryker activates it through a global of
// the test's thread), which is why only modules that run in the caller's thread are mutated here;
// the worker-only code is checked by hand (docs/TESTING.md, "Deliberate breaks").
// MUTATE_TESTS (unit, suite or all; see vitest.mutate.config.ts) also names the report.
const set = process.env.MUTATE_TESTS ?? "all";

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutate.config.ts", related: false },
  buildCommand: "npm run build --silent",
  mutate: [
    "src/protocol/values.ts",
    "src/protocol/value-decoding.ts",
    "src/protocol/errors.ts",
    "src/protocol/markers.ts",
    "src/protocol/functions.ts",
    "src/protocol/handle-table.ts",
    "src/protocol/handle-refs.ts",
    "src/protocol/shared-state.ts",
    "src/errors.ts",
    "src/caller/support/resolve.ts",
    "src/caller/wire/request-errors.ts",
    "src/caller/remote/iterators.ts",
    "src/caller/remote/iteration-state.ts",
  ],
  ignorePatterns: ["/build", "/dist", "/docs/api", "/packages/*/build"],
  coverageAnalysis: "perTest",
  // The machine is shared: one test process (run it under `nice -n 15`), and generous timeouts.
  concurrency: 1,
  timeoutMS: 20_000,
  timeoutFactor: 3,
  tempDirName: `build/stryker-tmp-${set}`,
  // Incremental: a later run re-tests only the mutants whose code or covering tests changed (one
  // file per test set; pass --incrementalFile to keep one per module when running modules apart).
  incremental: true,
  incrementalFile: `build/stryker-incremental-${set}.json`,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `build/mutation/${set}.html` },
  jsonReporter: { fileName: `build/mutation/${set}.json` },
  thresholds: { high: 85, low: 70, break: null },
};
