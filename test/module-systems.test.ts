// The package from both module systems: require() on Node 20 (which has no require(esm)), import,
// each wrapping CommonJS and ES module implementations, and one copy of the library per process.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readmeSample, repoRoot, runNode, script } from "./helpers.js";

const expectedCalls = {
  cjsKind: "cjs",
  cjsSquare: 9,
  cjsSquareAio: 16,
  esmKind: "esm",
  esmSquare: 25,
  relativeSquare: 36,
  cjsCallIdSet: true,
  esmCallIdSet: true,
  timeoutIsLibraryClass: true,
};

async function runScript(name: string): Promise<unknown> {
  const result = await runNode(script(`module-systems/${name}`), [], { deadlineMs: 30_000 });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe("module systems", () => {
  it("a CommonJS caller require()s the package and wraps CommonJS and ESM implementations (require.resolve, path.join(__dirname), relative)", async () => {
    expect(await runScript("caller.cjs")).toEqual(expectedCalls);
  });

  it("an ESM caller imports the package and wraps CommonJS and ESM implementations", async () => {
    expect(await runScript("caller.mjs")).toEqual(expectedCalls);
  });

  it("a process that loads both forms gets one copy: same exports, errors instanceof across forms, one exit listener", async () => {
    expect(await runScript("one-copy.mjs")).toEqual({ sameIndex: true, sameWorker: true, crossInstanceof: true, addedExitListeners: 1 });
  });

  it("import gets the ES module entries where the runtime has the module-sync condition (Node 20.19, 22.10 on; Deno), require() the CommonJS ones; the same names, default included", async () => {
    const fronts = (await runScript("fronts.mjs")) as Record<string, unknown>;
    const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
    const moduleSync = "Bun" in globalThis ? false : "Deno" in globalThis || major > 22 || (major === 22 && minor >= 10) || (major === 20 && minor >= 19);
    // The CommonJS entries' names, as an import of them lists them (less what runtimes add).
    const namesOf = async (entry: Promise<object>) => Object.keys(await entry).filter((name) => !["__esModule", "module.exports", "default"].includes(name));
    const named = await namesOf(import("../dist/cjs/index.js"));
    const workerNamed = await namesOf(import("../dist/cjs/worker/context.js"));
    expect(named).toContain("Synchronizer");
    expect(workerNamed).toContain("currentSignal");
    expect(fronts).toEqual({
      imported: moduleSync ? "index.mjs" : "index.js",
      required: "index.js",
      workerImported: moduleSync ? "context.mjs" : "context.js",
      workerRequired: "context.js",
      names: [...named, "default"].sort(),
      workerNames: [...workerNamed, "default"].sort(),
      defaultIsExports: true,
      workerDefaultIsExports: true,
    });
  });

  it("in the worker, the worker's library and an import of synchronicity-js share the error classes", async () => {
    expect(await runScript("worker-errors.mjs")).toEqual({ madeInWorkerIsLibraryClass: true, callbackErrorClassInWorker: "ClosedError" });
  });
});

describe("README: CommonJS and ES modules", () => {
  it("the CommonJS sample runs as written", async () => {
    // Inside the repository, so that "synchronicity-js" resolves to this package (self-reference).
    const dir = join(repoRoot, "build", "readme-samples", "commonjs");
    mkdirSync(dir, { recursive: true });
    for (const file of ["impl.cjs", "impl.mjs"]) copyFileSync(script(`module-systems/${file}`), join(dir, file));
    writeFileSync(join(dir, "caller.cjs"), readmeSample("// caller.cjs: a CommonJS plugin or CLI"));
    const result = await runNode(join(dir, "caller.cjs"), [], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("9 25\n");
  });
});
