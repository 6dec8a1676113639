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

  it("import gets the ES module front where the runtime has the module-sync condition (Node 20.19, 22.10 on; Deno), require() the CommonJS one; the same names, default included", async () => {
    const fronts = (await runScript("fronts.mjs")) as { imported: string; required: string; names: string[]; defaultIsExports: boolean };
    const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
    if ("Bun" in globalThis) expect(fronts.imported).toBe("index.js");
    else if ("Deno" in globalThis) expect(fronts.imported).toBe("index.mjs");
    else expect(fronts.imported).toBe(major > 22 || (major === 22 && minor >= 10) || (major === 20 && minor >= 19) ? "index.mjs" : "index.js");
    // The CommonJS entry's names, as an import of it lists them (less what runtimes add).
    const named = Object.keys(await import("../dist/cjs/index.js")).filter((name) => !["__esModule", "module.exports", "default"].includes(name));
    expect(named).toContain("Synchronizer");
    expect(fronts).toEqual({ imported: fronts.imported, required: "index.js", names: [...named, "default"].sort(), defaultIsExports: true });
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
