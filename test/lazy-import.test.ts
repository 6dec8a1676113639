// Importing the package is cheap: the Node built-ins that cost time to load (src/builtins.ts) are
// loaded by the first Synchronizer's work, not by the import. Checked in a fresh process, by what
// the process has loaded (process.moduleLoadList), not by timing.
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { repoRoot, runNode, script } from "./helpers.js";

describe("importing the package loads no costly built-in, and only the caller's front", () => {
  for (const form of ["import", "require"]) {
    it(`${form}: worker_threads, v8, diagnostics_channel, os and module wait for the first Synchronizer`, async () => {
      const result = await runNode(script("lazy-import.mjs"), [form], { deadlineMs: 30_000 });
      expect(result.stderr).toBe("");
      const report = JSON.parse(result.stdout) as { byImport: string[]; byFirstCall: string[]; sum: number; core: Record<string, unknown> };
      expect(report.byImport).toEqual([]);
      // The check can see a load: the first call does need worker_threads.
      expect(report.byFirstCall).toContain("worker_threads");
      expect(report.sum).toBe(9);
      // The import compiles only the caller's front; the rest loads when a worker is needed.
      expect(report.core).toEqual({
        byImport: false,
        byClosingUnused: false,
        closedFlags: [true, true],
        probed: [null, null, "[object Module]"],
        byWrapModule: false,
        byFirstCall: true,
        refused: ["ClosedError: the synchronizer is closed", "ClosedError: the synchronizer is closed"],
      });
    });
  }
});

describe("the rest of the caller's library, loaded on first use", () => {
  it("if it cannot be loaded, the first uses fail with the loader's error, and the thread started for them ends (the process exits)", async () => {
    const copy = join(repoRoot, "build", "without-core", "cjs");
    rmSync(copy, { recursive: true, force: true });
    cpSync(join(repoRoot, "dist", "cjs"), copy, { recursive: true, filter: (path) => !path.endsWith("core.js") });
    const impl = pathToFileURL(script("module-systems/impl.mjs")).href;
    const result = await runNode(script("without-core.cjs"), [copy, impl], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ codes: ["MODULE_NOT_FOUND", "MODULE_NOT_FOUND"] });
  });
});

describe("calls load no module behind a lazy global", () => {
  it("neither thread loads Node's web streams, node:perf_hooks, node:v8 or node:module for calls that carry objects both ways, nor the worker node:url", async () => {
    const result = await runNode(script("web-streams.mjs"), [], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      before: false,
      perfHooksBefore: false,
      counted: 3,
      threadIdIsNumber: true,
      aio: false,
      caller: false,
      worker: false,
      callerPerfHooks: false,
      workerPerfHooks: false,
      callerV8: false,
      workerV8: false,
      workerNodeModule: false,
      workerUrl: false,
      // The check can see a load.
      callerAfterReadingTheGlobal: true,
      callerPerfHooksAfterReadingTheGlobal: true,
      callerV8AfterImportingIt: true,
      workerUrlAfterImportingIt: true,
    });
  });
});
