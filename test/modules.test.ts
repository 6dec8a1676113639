// wrapModule: the ways to name a module, lazy loading, load failures and missing exports.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ModuleLoadError, Synchronizer } from "synchronicity-js";
import { fixture, fixturePath, sleep, thrown } from "./helpers.js";

type Basic = typeof import("./fixtures/basic.js");
const synchronizers: Synchronizer[] = [];
function fresh(): Synchronizer {
  const s = new Synchronizer();
  synchronizers.push(s);
  return s;
}
afterAll(() => Promise.all(synchronizers.map((s) => s.close())));

describe("naming the module", () => {
  it("accepts a URL, a file: URL string, an absolute path and a relative path", () => {
    const s = fresh();
    expect(s.wrapModule<Basic>(fixture("basic")).add(1, 1)).toBe(2);
    expect(s.wrapModule<Basic>(fixture("basic").href).add(1, 2)).toBe(3);
    expect(s.wrapModule<Basic>(fixturePath("basic")).add(1, 3)).toBe(4);
    expect(s.wrapModule<Basic>("../build/fixtures/basic.js").add(1, 4)).toBe(5);
  });

  it("resolves a bare package name from the calling file", () => {
    const dir = mkdtempSync(join(tmpdir(), "synchronicity-pkg-"));
    try {
      const pkg = join(dir, "node_modules", "@demo", "greeter");
      writeFileSync(join(dir, "package.json"), "{}");
      mkdirSync(join(pkg, "lib"), { recursive: true });
      writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "@demo/greeter", type: "module", exports: { ".": { import: "./lib/index.js" }, "./extra/*": "./lib/*.js" } }));
      writeFileSync(join(pkg, "lib", "index.js"), "export async function greet(n) { return `hi ${n}`; }\n");
      writeFileSync(join(pkg, "lib", "more.js"), "export const answer = 42;\n");
      // The caller is a module inside `dir`, so the package is found from there.
      const caller = join(dir, "caller.mjs");
      writeFileSync(
        caller,
        `export function load(S) { const s = new S(); const a = s.wrapModule("@demo/greeter"); const b = s.wrapModule("@demo/greeter/extra/more"); const out = [a.greet("x"), b.answer]; s.close(); return out; }\n`,
      );
      return import(pathToFileURL(caller).href).then((mod: { load: (s: typeof Synchronizer) => unknown[] }) => {
        expect(mod.load(Synchronizer)).toEqual(["hi x", 42]);
      });
    } finally {
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 1000);
    }
  });

  it("rejects what is not a module name, clearly", () => {
    const s = fresh();
    expect(() => s.wrapModule("" as never)).toThrow(/empty string/);
    expect(() => s.wrapModule(42 as never)).toThrow(/must be a URL.*not number/);
    expect(() => s.wrapModule("no-such-package-anywhere")).toThrow(/cannot find package "no-such-package-anywhere"/);
  });
});

describe("loading", () => {
  it("imports the module once, on first use, not at wrapModule", async () => {
    const dir = mkdtempSync(join(tmpdir(), "synchronicity-marker-"));
    const marker = join(dir, "imports.log");
    process.env["SYNCHRONICITY_MARKER_FILE"] = marker;
    try {
      const s = new Synchronizer();
      const api = s.wrapModule<typeof import("./fixtures/side-effect.js")>(fixture("side-effect"));
      await sleep(300);
      expect(() => readFileSync(marker, "utf8")).toThrow(/ENOENT/);
      expect(api.ping()).toBe("pong");
      expect(api.ping()).toBe("pong");
      s.wrapModule(fixture("side-effect"));
      expect(await api.ping.aio()).toBe("pong");
      expect(readFileSync(marker, "utf8")).toBe("imported\n");
      await s.close();
    } finally {
      delete process.env["SYNCHRONICITY_MARKER_FILE"];
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("importModule loads without blocking and gives the same api", async () => {
    const s = fresh();
    const api = await s.importModule<Basic>(fixture("basic"));
    expect(await api.square.aio(3, 1)).toBe(9);
    expect(s.wrapModule<Basic>(fixture("basic"))).toBe(api);
  });

  it("eager wrapModule loads at once: the module has run when wrapModule returns", async () => {
    const dir = mkdtempSync(join(tmpdir(), "synchronicity-eager-"));
    const marker = join(dir, "imports.log");
    process.env["SYNCHRONICITY_MARKER_FILE"] = marker;
    try {
      const s = fresh();
      // The worker inherits the environment when it starts, which happens during this call.
      const api = s.wrapModule<typeof import("./fixtures/side-effect.js")>(fixture("side-effect"), { eager: true });
      expect(readFileSync(marker, "utf8")).toBe("imported\n");
      expect(api.ping()).toBe("pong");
      expect(readFileSync(marker, "utf8")).toBe("imported\n");
      await s.close();
    } finally {
      delete process.env["SYNCHRONICITY_MARKER_FILE"];
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("load failures never hang", () => {
  it("a missing module: a ModuleLoadError with the worker's message, on first use", () => {
    const s = fresh();
    const api = s.wrapModule<Basic>(new URL("./does-not-exist.js", fixture("basic")));
    const error = thrown(() => api.add(1, 2));
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect((error as Error).message).toMatch(/could not load .*does-not-exist\.js.*Cannot find module/);
    expect(((error as Error).cause as { code?: string }).code).toBe("ERR_MODULE_NOT_FOUND");
    // Again, and through .aio: the same clear error.
    expect(() => api.add(1, 2)).toThrow(ModuleLoadError);
  });

  it("a module that throws while loading: its message and stack reach the caller", async () => {
    const s = fresh();
    const api = s.wrapModule<typeof import("./fixtures/load-throws.js")>(fixture("load-throws"));
    const error = thrown(() => api.before);
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect((error as Error).message).toContain("this module refuses to load");
    expect(((error as Error).cause as Error).stack).toContain("load-throws.js");
    await expect(s.importModule(fixture("load-throws"))).rejects.toThrow(ModuleLoadError);
  });

  it("eager wrapModule and importModule report the failure at once", async () => {
    const s = fresh();
    expect(() => s.wrapModule(fixture("load-throws"), { eager: true })).toThrow(/refuses to load/);
    await expect(s.importModule(new URL("./missing.js", fixture("basic")))).rejects.toThrow(ModuleLoadError);
  });

  it("other modules of the same synchronizer keep working", () => {
    const s = fresh();
    expect(() => s.wrapModule(fixture("load-throws"), { eager: true })).toThrow(ModuleLoadError);
    expect(s.wrapModule<Basic>(fixture("basic")).add(2, 2)).toBe(4);
  });
});

describe("exports", () => {
  it("an export that does not exist reads as undefined, as in a module namespace; printing the API lists what exists", () => {
    const s = fresh();
    const api = s.wrapModule<Basic>(fixture("basic")) as unknown as { nope: () => void };
    expect(api.nope).toBeUndefined();
    expect(() => api.nope()).toThrow(/nope is not a function/);
    expect(inspect(api)).toMatch(/square: \[Function: square\]/);
  });

  it("lists exports like a module namespace, read-only", () => {
    const s = fresh();
    const api = s.wrapModule<Basic>(fixture("basic"));
    expect(Object.keys(api)).toEqual(expect.arrayContaining(["square", "add", "VERSION", "default"]));
    expect("square" in api).toBe(true);
    expect("nope" in api).toBe(false);
    expect(() => {
      (api as { square: unknown }).square = 1;
    }).toThrow(/read-only/);
  });

  it("is not mistaken for a promise (await api does not load it)", async () => {
    const s = fresh();
    const api = s.wrapModule<Basic>(new URL("./does-not-exist.js", fixture("basic")));
    expect(await Promise.resolve(api)).toBe(api);
  });
});
