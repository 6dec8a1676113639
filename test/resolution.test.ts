// Package names resolve exactly as Node's `import` from the calling file resolves them (issue 17,
// item 7). The library follows Node's ESM resolution algorithm (src/caller/package-resolution.ts);
// this test compares it with Node's own `import.meta.resolve`, run from the same file, on every
// case of the issue and a few more, with and without the user's --conditions. `npm test` runs it
// on Node 20, `npm run test:runtimes` on Node 22 and 24 (where "module-sync" is a condition).
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import ts from "typescript";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Synchronizer } from "synchronicity-js";
import { repoRoot, run } from "./helpers.js";

const root = join(repoRoot, "build", "resolution-test");
const app = join(root, "app");

function write(path: string, content: string | object): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), typeof content === "string" ? content : JSON.stringify(content, null, 2));
}

const js = "export const ok = true;\n";

/** Specifiers resolved from app/caller.mjs by both Node and the library. */
const specifiers = [
  // exports patterns: the most specific key wins, whatever the key order
  "patterns/features/x",
  "patterns/features/x.js",
  "patterns/features/deep/y",
  "patterns/other",
  "patterns/internal/secret",
  "patterns/exact",
  // conditions: the user's --conditions, module-sync, nested conditions, arrays, null
  "conditions",
  "conditions/nested",
  "conditions/array",
  "conditions/excluded",
  "conditions/sync-only",
  // legacy main: without extension, a directory, missing
  "main-no-ext",
  "main-dir",
  "main-none",
  "main-json-only",
  "no-exports/lib/file.js",
  "no-exports/lib/file",
  // builtins
  "fs",
  "node:fs",
  "fs/promises",
  "node:test",
  // scoped, self-reference, "imports", symlinked
  "@scope/pkg",
  "@scope/pkg/sub",
  "#internal",
  "#dep",
  "#missing",
  "app-self/helper",
  "linked",
  // errors
  "not-installed",
  "patterns/not-exported",
  "directory-export",
  "bad-target",
  "@scope",
];

beforeAll(() => {
  rmSync(root, { recursive: true, force: true });
  write("app/package.json", { name: "app-self", type: "module", exports: { "./helper": "./helper.js" }, imports: { "#internal": "./internal.js", "#dep": "conditions" } });
  write("app/helper.js", js);
  write("app/internal.js", js);
  const modules = "app/node_modules";
  write(`${modules}/patterns/package.json`, {
    name: "patterns",
    exports: { "./*": "./lib/*.js", "./features/*": "./features/*.js", "./features/*.js": "./features-js/*.js", "./features/deep/*": "./deep/*.js", "./internal/*": null, "./exact": "./exact.js" },
  });
  for (const file of ["lib/other.js", "features/x.js", "features-js/x.js", "deep/y.js", "exact.js", "lib/internal/secret.js"]) write(`${modules}/patterns/${file}`, js);
  write(`${modules}/conditions/package.json`, {
    name: "conditions",
    exports: {
      ".": { custom: "./custom.js", "module-sync": "./sync.js", import: "./import.js", default: "./default.js" },
      "./nested": { node: { custom: "./nested-custom.js", import: { default: "./nested-import.js" } }, default: "./default.js" },
      "./array": [{ custom: "./custom.js" }, "./import.js"],
      "./excluded": { custom: null, default: "./default.js" },
      "./sync-only": { "module-sync": "./sync.js" },
    },
  });
  for (const file of ["custom.js", "sync.js", "import.js", "default.js", "nested-custom.js", "nested-import.js"]) write(`${modules}/conditions/${file}`, js);
  write(`${modules}/main-no-ext/package.json`, { name: "main-no-ext", main: "lib/main" });
  write(`${modules}/main-no-ext/lib/main.js`, js);
  write(`${modules}/main-dir/package.json`, { name: "main-dir", main: "lib" });
  write(`${modules}/main-dir/lib/index.js`, js);
  write(`${modules}/main-none/package.json`, { name: "main-none" });
  write(`${modules}/main-none/index.js`, js);
  write(`${modules}/main-json-only/package.json`, { name: "main-json-only", main: "data" });
  write(`${modules}/main-json-only/data.json`, "{}");
  write(`${modules}/no-exports/package.json`, { name: "no-exports" });
  write(`${modules}/no-exports/lib/file.js`, js);
  write(`${modules}/@scope/pkg/package.json`, { name: "@scope/pkg", exports: { ".": "./index.js", "./sub": "./sub/index.js" } });
  write(`${modules}/@scope/pkg/index.js`, js);
  write(`${modules}/@scope/pkg/sub/index.js`, js);
  write(`${modules}/directory-export/package.json`, { name: "directory-export", exports: "./lib" });
  write(`${modules}/directory-export/lib/index.js`, js);
  write(`${modules}/bad-target/package.json`, { name: "bad-target", exports: "../outside.js" });
  write("real-linked/package.json", { name: "linked", exports: "./index.js" });
  write("real-linked/index.js", js);
  symlinkSync(join(root, "real-linked"), join(root, modules, "linked"));
  // The library's resolver on its own (the build bundles it), transpiled from its source: the
  // resolver and the two files it imports, each written as .mjs (and so imported by that name).
  for (const file of ["caller/package-resolution", "caller/package-conditions", "builtins"]) {
    const source = readFileSync(join(repoRoot, "src", `${file}.ts`), "utf8");
    const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    write(`${file.replace("caller/", "")}.mjs`, output.replace(/from "\.\.?\/([a-z-]+)\.js";/g, 'from "./$1.mjs";'));
  }
  // Both resolutions, from the same file: Node's import.meta.resolve and the library's.
  write(
    "app/caller.mjs",
    `import { resolveBare } from ${JSON.stringify(join(root, "package-resolution.mjs"))};
const specifiers = JSON.parse(process.argv[2]);
import { statSync } from "node:fs";
const outcome = (fn) => { try { return fn(); } catch (error) { return "error " + (error.code ?? error.message); } };
// Neither checks that the file exists (the worker's import then fails with Node's own error).
void statSync;
const byNode = (specifier) => import.meta.resolve(specifier);
const rows = specifiers.map((specifier) => [specifier, outcome(() => byNode(specifier)), outcome(() => resolveBare(specifier, import.meta.url))]);
console.log(JSON.stringify(rows));
`,
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const comparisons: Array<[string, string[]]> = [
  ["no flags", []],
  ["--conditions=custom", ["--conditions=custom"]],
  ["-C custom", ["-C", "custom"]],
];

describe.each(comparisons)(`package resolution on Node ${process.versions.node}, %s`, (_label, flags) => {
  it("matches Node's import.meta.resolve on every case", async () => {
    const result = await run(process.execPath, [...flags, "--no-deprecation", join(app, "caller.mjs"), JSON.stringify(specifiers)], { deadlineMs: 20_000 });
    expect(result.stderr).toBe("");
    const rows = JSON.parse(result.stdout) as Array<[string, string, string]>;
    const relative = (outcome: string) => outcome.replace(`file://${root}/`, "");
    const node = rows.map(([specifier, byNode]) => [specifier, relative(byNode)]);
    const library = rows.map(([specifier, , byLibrary]) => [specifier, relative(byLibrary)]);
    expect(library).toEqual(node);
    // The comparison means something: these resolved, and these failed, in Node.
    expect(node.filter(([, outcome]) => outcome!.startsWith("error")).length).toBeGreaterThanOrEqual(3);
    expect(node.filter(([, outcome]) => !outcome!.startsWith("error")).length).toBeGreaterThanOrEqual(20);
  });
});

describe("wrapModule with package names", () => {
  it("loads a builtin and a package whose main has no extension, and names the caller when a package is missing", () => {
    const s = new Synchronizer();
    try {
      const fs = s.wrapModule<typeof import("node:fs/promises")>("fs/promises");
      expect(typeof fs.readFile).toBe("function");
      expect(() => s.wrapModule("not-installed-anywhere")).toThrow(/cannot find package "not-installed-anywhere" from .*resolution\.test\.ts/);
    } finally {
      void s.close();
    }
  });
});
