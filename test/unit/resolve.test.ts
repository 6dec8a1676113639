// Unit tests of module resolution (src/caller/support/resolve.ts): what wrapModule accepts, and bare
// package names resolved from the calling file the way Node resolves an ESM import.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { callerFileUrl, resolveSpecifier } from "../../src/caller/support/resolve.js";

const root = mkdtempSync(join(tmpdir(), "synchronicity-resolve-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A package `name` under root/node_modules with this package.json (plus `files`). */
function pkg(name: string, manifest: object, files: readonly string[] = []): string {
  const dir = join(root, "node_modules", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, ...manifest }));
  for (const file of files) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), "");
  }
  return dir;
}
const caller = pathToFileURL(join(root, "app", "deep", "caller.js")).href;
const fileIn = (name: string, file: string) => pathToFileURL(join(root, "node_modules", name, file)).href;

describe("resolveSpecifier: URLs and paths", () => {
  it("a URL, a file:, data: or node: string as it is", () => {
    expect(resolveSpecifier(new URL("file:///x/y.js"), undefined)).toBe("file:///x/y.js");
    for (const s of ["file:///a.js", "data:text/javascript,export default 1", "node:fs"]) expect(resolveSpecifier(s, undefined)).toBe(s);
  });

  it("an absolute path as a file URL", () => {
    expect(resolveSpecifier("/some/where/impl.js", undefined)).toBe("file:///some/where/impl.js");
  });

  it("a relative path from the calling file, ./ and ../", () => {
    expect(resolveSpecifier("./impl.js", "file:///app/src/caller.js")).toBe("file:///app/src/impl.js");
    expect(resolveSpecifier("../impl.js", "file:///app/src/caller.js")).toBe("file:///app/impl.js");
  });

  it("a relative path without a known caller: an error saying what to pass instead", () => {
    expect(() => resolveSpecifier("./impl.js", undefined)).toThrow(
      'wrapModule: cannot resolve the relative path "./impl.js" (the calling file is unknown); pass new URL("./impl.js", import.meta.url)',
    );
  });

  it("what is not a module name: errors naming what was given", () => {
    expect(() => resolveSpecifier("", undefined)).toThrow(new TypeError("wrapModule: the module must be a URL, a file: URL string or a path, not an empty string"));
    expect(() => resolveSpecifier(42 as never, undefined)).toThrow("not number");
    expect(() => resolveSpecifier(null as never, undefined)).toThrow("not object");
  });
});

describe("resolveSpecifier: package names", () => {
  pkg("plain-main", { main: "lib/main.js" }, ["lib/main.js"]);
  pkg("no-main", {}, ["index.js"]);
  pkg("string-exports", { exports: "./dist/index.js" });
  pkg("conditional", { exports: { require: "./cjs.js", import: "./esm.js", default: "./default.js" } });
  pkg("node-first", { exports: { node: { import: "./node-esm.js" }, default: "./other.js" } });
  pkg("fallbacks", { exports: [{ browser: "./browser.js" }, "./fallback.js"] });
  pkg("nothing-matches", { exports: { browser: "./browser.js" } });
  pkg("array-none", { exports: [{ browser: "./b.js" }] });
  pkg("subpaths", {
    exports: {
      ".": { import: "./index.js" },
      "./feature": "./lib/feature.js",
      "./utils/*": { import: "./lib/utils/*.js" },
      "./assets/*.json": "./data/*.json",
    },
  });
  pkg("@scope/tool", { exports: { ".": "./tool.js", "./extra": "./extra.js" } });

  it.each([
    ["main", "plain-main", fileIn("plain-main", "lib/main.js")],
    ["index.js without main", "no-main", fileIn("no-main", "index.js")],
    ["a subpath without exports", "no-main/other/file.js", fileIn("no-main", "other/file.js")],
    ["exports as a string", "string-exports", fileIn("string-exports", "dist/index.js")],
    ["the import condition, not require", "conditional", fileIn("conditional", "esm.js")],
    ["nested conditions", "node-first", fileIn("node-first", "node-esm.js")],
    ["an array of fallbacks", "fallbacks", fileIn("fallbacks", "fallback.js")],
    ["the root of a subpath map", "subpaths", fileIn("subpaths", "index.js")],
    ["an exact subpath", "subpaths/feature", fileIn("subpaths", "lib/feature.js")],
    ["a subpath pattern", "subpaths/utils/strings", fileIn("subpaths", "lib/utils/strings.js")],
    ["a pattern with a suffix", "subpaths/assets/logo.json", fileIn("subpaths", "data/logo.json")],
    ["a scoped package", "@scope/tool", fileIn("@scope/tool", "tool.js")],
    ["a scoped package's subpath", "@scope/tool/extra", fileIn("@scope/tool", "extra.js")],
  ])("%s", (_, specifier, expected) => {
    expect(resolveSpecifier(specifier, caller)).toBe(expected);
  });

  it.each([
    ["no condition this library uses", "nothing-matches", '"."'],
    ["no array item matches", "array-none", '"."'],
    ["a subpath not exported", "subpaths/secret", '"./secret"'],
    ["a subpath of a string export", "string-exports/deep", '"./deep"'],
    ["a pattern that does not match its suffix", "subpaths/assets/logo.png", '"./assets/logo.png"'],
  ])("%s: an error naming the subpath", (_, specifier, subpath) => {
    expect(() => resolveSpecifier(specifier, caller)).toThrow(`wrapModule: package "${specifier}" does not export ${subpath}`);
  });

  it("a package that is nowhere: an error naming it and where the search began", () => {
    expect(() => resolveSpecifier("nowhere-to-be-found", caller)).toThrow(
      `wrapModule: cannot find package "nowhere-to-be-found" from ${caller}; pass import.meta.resolve("nowhere-to-be-found") instead`,
    );
    expect(() => resolveSpecifier("@nope/missing/sub", caller)).toThrow('cannot find package "@nope/missing"');
  });

  it("without a calling file (or with one that is not a file), searches from the working directory", () => {
    // realpath: in a Stryker sandbox node_modules is a symbolic link, and resolution follows it.
    const fromCwd = pathToFileURL(realpathSync(join(process.cwd(), "node_modules", "vitest"))).href;
    expect(resolveSpecifier("vitest", undefined).startsWith(`${fromCwd}/`)).toBe(true);
    expect(resolveSpecifier("vitest", "data:text/javascript,1").startsWith(`${fromCwd}/`)).toBe(true);
    expect(() => resolveSpecifier("nowhere-to-be-found", "data:text/javascript,1")).toThrow("from data:text/javascript,1;");
    expect(() => resolveSpecifier("nowhere-to-be-found", undefined)).toThrow(`from ${process.cwd()};`);
  });
});

describe("callerFileUrl", () => {
  it("is the first file on the stack outside this library: here, this test file", () => {
    expect(callerFileUrl()).toBe(import.meta.url);
  });

  it("keeps the stack trace limit as it was", () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 3;
    try {
      callerFileUrl();
      expect(Error.stackTraceLimit).toBe(3);
    } finally {
      Error.stackTraceLimit = limit;
    }
  });
});
