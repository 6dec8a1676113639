// More unit tests of module resolution (src/caller/support/resolve.ts), written against the mutants that
// survived resolve.test.ts (docs/TESTING.md, "Surviving mutants"): what counts as a URL scheme,
// where a bare name is searched from without a calling file, and the error's cause.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { resolveSpecifier } from "../../src/caller/support/resolve.js";

const root = realpathSync(mkdtempSync(join(tmpdir(), "synchronicity-resolve-more-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("resolveSpecifier: URL schemes", () => {
  it("a scheme with digits is a URL, passed on as it is", () => {
    for (const s of ["s3://bucket/impl.js", "web+x1:thing", "h2c://host/impl.js"]) expect(resolveSpecifier(s, undefined)).toBe(s);
  });

  it("a colon later in a relative path does not make it a URL", () => {
    expect(resolveSpecifier("./dir/ab:c.js", "file:///app/caller.js")).toBe("file:///app/dir/ab:c.js");
    expect(resolveSpecifier("../x/name:tag.js", "file:///app/src/caller.js")).toBe("file:///app/x/name:tag.js");
  });
});

describe("resolveSpecifier: bare names without a calling file", () => {
  it("are searched from the working directory itself, not from its parent", () => {
    const cwd = join(root, "project");
    mkdirSync(join(cwd, "node_modules", "only-here"), { recursive: true });
    writeFileSync(join(cwd, "node_modules", "only-here", "package.json"), JSON.stringify({ name: "only-here", main: "main.js" }));
    writeFileSync(join(cwd, "node_modules", "only-here", "main.js"), "");
    // process.cwd() stands in for process.chdir(), which worker threads (Stryker's runner) refuse.
    const spy = vi.spyOn(process, "cwd").mockReturnValue(cwd);
    try {
      expect(resolveSpecifier("only-here", undefined)).toBe(pathToFileURL(join(cwd, "node_modules", "only-here", "main.js")).href);
      expect(() => resolveSpecifier("not-here-either", undefined)).toThrow(`from ${cwd};`);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("resolveSpecifier: errors", () => {
  it("a package that cannot be found: a TypeError whose cause is the resolver's error", () => {
    let error: unknown;
    try {
      resolveSpecifier("nowhere-at-all", pathToFileURL(join(root, "caller.js")).href);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    const cause = (error as Error).cause as Error & { code?: string };
    expect(cause).toBeInstanceOf(TypeError);
    expect(cause.message).toMatch(/^cannot find package "nowhere-at-all"/);
  });
});
