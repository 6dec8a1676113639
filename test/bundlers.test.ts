// A library that uses synchronicity-js, bundled with esbuild as README's "Bundlers" says (CommonJS
// and ESM output), still finds its implementation module; and an app that bundles synchronicity-js
// itself gets an error that says what to do on its first call, not a hang.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readmeSample, repoRoot, run, runNode, script } from "./helpers.js";

// Inside the repository, so that the external "synchronicity-js" resolves to this package.
const dir = join(repoRoot, "build", "bundler-test");
const esbuild = join(repoRoot, "node_modules", ".bin", "esbuild");
const expected = { term: "worker", definition: "a thread with its own event loop", inCall: true };

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "src"), { recursive: true });
  for (const file of ["index.mjs", "glossary.impl.mjs", "terms.mjs"]) copyFileSync(script(`bundled-library/${file}`), join(dir, "src", file));
  // The README's commands, as written.
  const commands = readmeSample("esbuild src/index.mjs").trim().split("\n");
  expect(commands).toHaveLength(3);
  for (const command of commands) {
    const [, ...args] = command.split(/\s+/);
    const result = await run(esbuild, args, { cwd: dir, deadlineMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
  }
}, 120_000);

describe("a library bundled with esbuild", () => {
  it("ships three files, its implementation's own dependencies bundled into it", () => {
    for (const file of ["index.cjs", "index.mjs", "glossary.impl.mjs"]) expect(existsSync(join(dir, "dist", file))).toBe(true);
    expect(existsSync(join(dir, "dist", "terms.mjs"))).toBe(false);
  });

  it("CommonJS output: a require() user gets blocking calls into the implementation", async () => {
    const result = await runNode(script("bundled-library/use.cjs"), [join(dir, "dist", "index.cjs")], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual(expected);
  });

  it("ESM output: an import user gets async calls into the implementation", async () => {
    const result = await runNode(script("bundled-library/use.mjs"), [join(dir, "dist", "index.mjs")], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual(expected);
  });

  it("the bundle no longer depends on where its sources were", async () => {
    rmSync(join(dir, "src"), { recursive: true, force: true });
    const result = await runNode(script("bundled-library/use.cjs"), [join(dir, "dist", "index.cjs")], { deadlineMs: 30_000 });
    expect(JSON.parse(result.stdout)).toEqual(expected);
  });
});

describe("an app that bundles synchronicity-js itself", () => {
  it("fails on the first call with an error that says to keep synchronicity-js external", async () => {
    mkdirSync(join(dir, "app"), { recursive: true });
    for (const file of ["index.mjs", "glossary.impl.mjs", "terms.mjs"]) copyFileSync(script(`bundled-library/${file}`), join(dir, "app", file));
    const outfile = join(dir, "app", "all-in-one.cjs");
    const bundled = await run(esbuild, [join(dir, "app", "index.mjs"), "--bundle", "--platform=node", "--format=cjs", `--outfile=${outfile}`], { deadlineMs: 60_000 });
    expect(bundled.code, bundled.stderr).toBe(0);
    const result = await runNode(script("bundled-library/use.cjs"), [outfile], { deadlineMs: 30_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/synchronicity-js cannot find its worker files .*: it was probably bundled into another file\. Keep it external/);
  });
});

// Outside the describe above, which Bun leaves out (scripts/test-runtimes.sh): this one passes there.
describe("an app bundled with the module-sync condition (webpack uses it from 5.107), synchronicity-js included", () => {
  it("gets the ES module front and the same error on the first call, not Node's about a missing core.js", async () => {
    mkdirSync(join(dir, "app-sync"), { recursive: true });
    for (const file of ["glossary.impl.mjs", "terms.mjs"]) copyFileSync(script(`bundled-library/${file}`), join(dir, "app-sync", file));
    // The implementation by URL: where the bundle is also the library, a relative path's calling
    // file is not found on every runtime (Deno, Bun), which would fail earlier, and for another reason.
    const app = readFileSync(script("bundled-library/index.mjs"), "utf8").replace('wrapModule("./glossary.impl.mjs")', 'wrapModule(new URL("./glossary.impl.mjs", import.meta.url))');
    expect(app).toContain("new URL(");
    writeFileSync(join(dir, "app-sync", "index.mjs"), app);
    const outfile = join(dir, "app-sync", "all-in-one.mjs");
    const args = [join(dir, "app-sync", "index.mjs"), "--bundle", "--platform=node", "--format=esm", "--conditions=module-sync", `--outfile=${outfile}`];
    const bundled = await run(esbuild, args, { deadlineMs: 60_000 });
    expect(bundled.code, bundled.stderr).toBe(0);
    // The bundle holds the ES module front (its built-ins come from process.getBuiltinModule).
    expect(readFileSync(outfile, "utf8")).toContain("process.getBuiltinModule(");
    const result = await runNode(script("bundled-library/use.mjs"), [outfile], { deadlineMs: 30_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/synchronicity-js cannot find its worker files .*: it was probably bundled into another file\. Keep it external/);
  });
});
