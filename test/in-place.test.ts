// synchronizer.wrap(import.meta, impl): functions, generators and classes wrapped in the module
// that defines them (issue 12). The fixture modules are imported here, in the caller, and again
// by the worker.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { ReferenceLostError, Synchronizer, TimeoutError, WorkerExitError } from "synchronicity-js";
import { fixture, repoRoot, run, runNode, script } from "./helpers.js";

type Lib = typeof import("./fixtures/in-place.js");
type More = typeof import("./fixtures/in-place-more.js");
// From build/: the worker imports the compiled file, so the caller's copy must be that file too.
const lib = (await import(fixture("in-place").href)) as Lib;
const { synchronizer } = lib;
afterAll(() => synchronizer.close());

describe("wrapping", () => {
  it("starts nothing: the module wraps at its top level, the worker starts on the first call", async () => {
    expect(lib.evaluatedIn).toBe("caller");
    expect(synchronizer.isWorker).toBe(false);
    expect((await synchronizer.diagnostics()).worker).toBeUndefined();
    expect(lib.square(3)).toBe(9);
    expect((await synchronizer.diagnostics()).worker).toBeDefined();
  });

  it("gives a function its blocking, .aio, .future and .with forms", async () => {
    expect(lib.square(4)).toBe(16);
    expect(await lib.square.aio(5)).toBe(25);
    expect(lib.square.future(6).result()).toBe(36);
    expect(await lib.square.future(7)).toBe(49);
    expect(() => lib.square.with({ timeout: 100 })(2, 10_000)).toThrow(TimeoutError);
    const controller = new AbortController();
    const aborted = lib.square.with({ signal: controller.signal }).aio(2, 10_000);
    controller.abort();
    await expect(aborted).rejects.toThrow(/abort/i);
    expect(lib.square(8)).toBe(64); // still usable
  });

  it("runs a wrapped sync function in the worker too", () => {
    const where = lib.whereAmI();
    expect(where.isWorker).toBe(true);
    expect(where.threadId).not.toBe(threadId);
  });

  it("iterates wrapped generators, blocking and async", async () => {
    expect([...lib.countdown(3)]).toEqual([3, 2, 1]);
    const it = lib.countdown(1);
    expect(it.next()).toEqual({ value: 1, done: false });
    expect(it.next()).toEqual({ value: "liftoff", done: true });
    const seen: number[] = [];
    for await (const i of lib.countdown.aio(2)) seen.push(i);
    expect(seen).toEqual([2, 1]);
    expect([...lib.letters("abc")]).toEqual(["a", "b", "c"]);
    expect(() => (lib.countdown as unknown as { future(n: number): unknown }).future(1)).toThrow(/generator function/);
  });

  it("finds an anonymous function by the name option", async () => {
    expect(lib.plusOne(1)).toBe(2);
    expect(await lib.plusOne.aio(2)).toBe(3);
  });

  it("throws errors with their class; error classes wrapped in place keep instanceof", () => {
    expect(() => lib.fail("out of range")).toThrow(RangeError);
    expect(() => lib.fail("out of range")).toThrow("out of range");
    const db = new lib.DBConnection("memory://errors");
    let caught: unknown;
    try {
      db.get(5);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(lib.NotFound);
    expect(caught).toMatchObject({ name: "Error", key: "5", message: "no row 5" });
    expect(() => new lib.DBConnection("no url")).toThrow(TypeError);
  });

  it("wraps classes: objects live in the worker, with methods, getters, statics, generators and disposal", async () => {
    const db = new lib.DBConnection("memory://a");
    expect(db).toBeInstanceOf(lib.DBConnection);
    expect(db.insert("one")).toBe(1);
    expect(await db.insert.aio("two")).toBe(2);
    expect(db.insert.future("three").result()).toBe(3);
    expect(db.size).toBe(3);
    expect(db.url).toBe("memory://a");
    expect([...db.rows()]).toEqual(["one", "two", "three"]);
    expect(db.self()).toBe(db);
    const opened = lib.DBConnection.open("memory://b");
    expect(opened).toBeInstanceOf(lib.DBConnection);
    expect(opened.url).toBe("memory://b");
    expect(lib.DBConnection.driver).toBe("memory");
    const cached = new lib.CachedConnection("memory://c");
    expect(cached).toBeInstanceOf(lib.CachedConnection);
    expect(cached).toBeInstanceOf(lib.DBConnection);
    expect(cached.cached()).toBe("cached memory://c");
    expect(cached.insert("x")).toBe(1);
    let kept: InstanceType<typeof lib.DBConnection>;
    {
      using scoped = new lib.DBConnection("memory://d");
      kept = scoped;
      expect(scoped.disposed).toBe(false);
    }
    expect(kept.disposed).toBe(true);
  });

  it("passes callbacks both ways", async () => {
    expect(lib.withProgress(3, (step) => `step ${step}`)).toEqual(["step 1", "step 2", "step 3"]);
    expect(await lib.withProgress.aio(2, async (step) => `async ${step}`)).toEqual(["async 1", "async 2"]);
  });
});

describe("inside the worker", () => {
  it("calls wrapped functions directly: same objects, same call, and a blocking form fails at once", () => {
    const report = lib.callsInside(6);
    expect(report).toMatchObject({ sameObject: true, sameCall: true, blocking: "DeadlockError", squared: 36, db: true });
    expect(report.blockingMs).toBeLessThan(1_000);
    expect(report.sync.isWorker).toBe(true);
    expect(report.sync.threadId).toBe(lib.whereAmI().threadId);
  });

  it("serves a second module that wraps in place with the same synchronizer, in the same worker", async () => {
    const more = (await import(fixture("in-place-more").href)) as More;
    const { cube, threadId: workerThread } = more.cube(3);
    expect(cube).toBe(27);
    expect(workerThread).toBe(lib.whereAmI().threadId);
  });

  it("runs them directly in another synchronizer's worker that imports the module", () => {
    const other = new Synchronizer();
    try {
      const api = other.wrapModule<typeof import("./fixtures/in-place-importer.js")>(fixture("in-place-importer"));
      expect(api.useLibrary(3)).toEqual({ squared: 9, ranHere: true });
    } finally {
      void other.close();
    }
  });

  it("serves the same module wrapped with wrapModule as well: the worker calls what is behind the wrapped forms", () => {
    const other = new Synchronizer();
    try {
      const api = other.wrapModule<Lib>(fixture("in-place"));
      expect(api.evaluatedIn).toBe("worker");
      expect(api.square(3)).toBe(9);
      expect(api.plusOne(1)).toBe(2);
      expect([...api.letters("ab")]).toEqual(["a", "b"]);
      const db = new api.DBConnection("memory://both-ways");
      expect(db.insert("a")).toBe(1);
    } finally {
      void other.close();
    }
  });

  it("says so when the worker's copy of the module did not wrap the name (a wrap kept out of the worker)", () => {
    expect(lib.onlyInCaller).toBeDefined();
    expect(() => lib.onlyInCaller!()).toThrow(ReferenceLostError);
    expect(() => lib.onlyInCaller!()).toThrow(/wrapped nothing in place as "onlyInCaller".*isWorker/);
    expect(lib.square(2)).toBe(4);
  });
});

describe("worker restarts", () => {
  it("serves in-place functions and classes from a fresh worker after the worker died", () => {
    const before = lib.whereAmI().threadId;
    const old = new lib.DBConnection("memory://old");
    expect(() => lib.crash(3)).toThrow(WorkerExitError);
    expect(lib.square(5)).toBe(25);
    expect(lib.whereAmI().threadId).not.toBe(before);
    const fresh = new lib.DBConnection("memory://new");
    expect(fresh).toBeInstanceOf(lib.DBConnection);
    expect(fresh.insert("x")).toBe(1);
    expect(lib.DBConnection.open("memory://opened")).toBeInstanceOf(lib.DBConnection);
    expect(() => old.size).toThrow(ReferenceLostError);
  });
});

describe("names and bad input", () => {
  const here = new URL("file:///virtual/in-place-names.js");

  it("refuses a second, different thing under a name the module already wrapped", () => {
    const s = new Synchronizer();
    s.wrap(here, async function dup() {});
    expect(() => s.wrap(here, async function dup() {})).toThrow(TypeError);
    expect(() => s.wrap(here, async function dup() {})).toThrow(/already wrapped something else as "dup".*\{ name: "\.\.\." \}/);
    expect(() => s.wrap(here, async function other() {}, { name: "dup" })).toThrow(/already wrapped something else as "dup"/);
    // The same name in another module is another key.
    expect(() => s.wrap(new URL("file:///virtual/elsewhere.js"), async function dup() {})).not.toThrow();
  });

  it("gives the same proxy for the same thing wrapped twice", () => {
    const s = new Synchronizer();
    async function twice() {}
    expect(s.wrap(here, twice)).toBe(s.wrap(here, twice));
    class Twice {}
    expect(s.wrap(here, Twice)).toBe(s.wrap(here, Twice));
  });

  it("rejects what it cannot wrap, naming the argument, and stays usable", () => {
    const s = new Synchronizer();
    expect(() => s.wrap(here, 42 as never)).toThrow(/impl must be a function, a generator function or a class, not a number/);
    expect(() => s.wrap("./relative.js", async function f() {})).toThrow(/module must be import\.meta.*not the relative path "\.\/relative\.js"/);
    expect(() => s.wrap({} as never, async function f() {})).toThrow(/module must be import\.meta.*not an? object/);
    expect(() => s.wrap(new URL("https://example.com/x.js"), async function f() {})).toThrow(/not one the worker can import again/);
    expect(() => s.wrap(here, async () => {})).toThrow(/impl has no name.*\{ name: "f" \}/);
    expect(() => s.wrap(here, async function f() {}, { name: "" })).toThrow(/options\.name must be a non-empty string/);
    expect(() => s.wrap(here, async function f() {}, { nmae: "g" } as never)).toThrow(/unknown option "nmae"/);
    expect(() => s.wrap(here, async function f() {}, null as never)).toThrow(/options must be an object, not null/);
    expect(lib.square(3)).toBe(9);
  });

  it("accepts a CommonJS module object and a path as the defining module", () => {
    const s = new Synchronizer();
    const viaModule = s.wrap({ filename: "/virtual/cjs-lib.js" }, async function viaModule() {});
    const viaPath = s.wrap("/virtual/cjs-lib.js", async function viaPath() {});
    expect(typeof viaModule.aio).toBe("function");
    expect(typeof viaPath.future).toBe("function");
  });
});

describe("scripts (subprocesses)", () => {
  it("runs a single-file script's main work once: the worker's copy skips it with isWorker", async () => {
    const result = await runNode(script("in-place-script.mjs"), [], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(["f(42) = 1764", "f.aio(7) = 49", "futures: 1, 4, 9", "ticks: 0, 1, 2", ""].join("\n"));
  });

  // import.meta.main exists from Node 22.18 and 24.2 on; CI runs this file on Node 22 and 24 too.
  it.runIf(hasImportMetaMain())(
    "runs it once with import.meta.main too, where Node has it (the worker's copy is not the entry point)",
    async () => {
      const result = await runNode(script("in-place-import-meta-main.mjs"), [], { deadlineMs: 30_000 });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toBe("f(42) = 1764\n");
    },
  );

  it("fails loudly, naming the isWorker pattern, when a script's blocking call is not kept out of the worker", async () => {
    const result = await runNode(script("in-place-unguarded.mjs"), [], { deadlineMs: 30_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("main work starts\nmain work starts\n"); // the top level ran in both threads
    expect(result.stderr).toMatch(/ModuleLoadError: .*DeadlockError|ModuleLoadError: could not load .*deadlock: f\(\.\.\.\)/s);
    expect(result.stderr).toContain("if (!synchronizer.isWorker)");
  });

  it("works from CommonJS (require(\"synchronicity-js\")), with module and with __filename", async () => {
    const result = await runNode(script("in-place-cjs.cjs"), [], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual({ isWorker: false, isMain: true });
    expect(lines).toContainEqual({ isWorker: true, isMain: false });
    const main = lines.find((line) => "square" in line);
    expect(main).toEqual({ square: { square: 49, threadId: expect.any(Number) }, total: 5, instance: true });
    expect(lines).toHaveLength(3);
  });

  it("serves a CommonJS library that wraps in place to an ES module caller", async () => {
    const result = await runNode(script("in-place-esm-user.mjs"), [], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ cube: 27, cubeAio: 64, twice: 10, libWorker: false });
  });
});

describe("README", () => {
  it("shows examples/in-place.ts verbatim, and the example runs as a newcomer runs it (tsx)", async () => {
    const example = readFileSync(join(repoRoot, "examples", "in-place.ts"), "utf8");
    expect(readFileSync(join(repoRoot, "README.md"), "utf8")).toContain("```ts\n" + example + "```");
    const result = await run(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, "examples", "in-place.ts")], { deadlineMs: 45_000 });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("f(42) = 1764\nf.aio(7) = 49\nrows: a, b\n");
  }, 60_000);
});

/** Whether this Node sets import.meta.main (asked of a plain subprocess, outside vitest's module runner). */
function hasImportMetaMain(): boolean {
  return execFileSync(process.execPath, ["--input-type=module", "-e", "process.stdout.write(String(import.meta.main))"], { encoding: "utf8" }) === "true";
}
