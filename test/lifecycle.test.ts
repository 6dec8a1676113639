// Starting, closing and disposing a synchronizer; processes that end by themselves.
import { describe, expect, it } from "vitest";
import { ClosedError, Synchronizer } from "synchronicity-js";
import { fixture, repoRoot, run, runNode, script } from "./helpers.js";
import { join } from "node:path";

type Basic = typeof import("./fixtures/basic.js");

describe("close", () => {
  it("stops the worker; later calls of every form fail with a ClosedError", async () => {
    const s = new Synchronizer();
    const api = s.wrapModule<Basic>(fixture("basic"));
    expect(api.add(1, 1)).toBe(2);
    expect(s.closed).toBe(false);
    await s.close();
    expect(s.closed).toBe(true);
    expect(() => api.add(1, 1)).toThrow(ClosedError);
    expect(() => api.add(1, 1)).toThrow(/synchronizer is closed/);
    await expect(api.add.aio(1, 1)).rejects.toThrow(ClosedError);
    expect(() => api.add.future(1, 1)).toThrow(ClosedError);
    expect(() => s.wrapModule<Basic>(fixture("basic")).add(1, 1)).toThrow(ClosedError);
  });

  it("is idempotent", async () => {
    const s = new Synchronizer();
    s.wrapModule<Basic>(fixture("basic")).add(1, 1);
    await Promise.all([s.close(), s.close()]);
    await s.close();
    s[Symbol.dispose]();
    expect(s.closed).toBe(true);
  });

  it("rejects calls in flight at once with a clear error, then stops within shutdownTimeout", async () => {
    const s = new Synchronizer({ shutdownTimeout: 500 });
    const api = s.wrapModule<Basic>(fixture("basic"));
    const started = performance.now();
    let rejectedAfter = 0;
    const inFlight = api.square.aio(2, 5_000).catch((error: unknown) => {
      rejectedAfter = performance.now() - closing;
      return error;
    });
    const future = api.square.future(3, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = performance.now();
    const closed = s.close();
    expect(await inFlight).toBeInstanceOf(ClosedError);
    expect(String(await inFlight)).toMatch(/closed while this call was in flight/);
    expect(rejectedAfter).toBeLessThan(50);
    expect(() => future.result()).toThrow(ClosedError);
    await closed;
    // The tasks ignore their AbortSignal: close waits for them at most shutdownTimeout.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("works before anything started (no worker to stop)", async () => {
    const s = new Synchronizer();
    s.wrapModule<Basic>(fixture("basic"));
    await s.close();
    expect(s.closed).toBe(true);
  });

  it("supports Symbol.dispose and Symbol.asyncDispose", async () => {
    const a = new Synchronizer();
    a.wrapModule<Basic>(fixture("basic")).add(1, 2);
    a[Symbol.dispose]();
    expect(a.closed).toBe(true);
    const b = new Synchronizer();
    await b.wrapModule<Basic>(fixture("basic")).add.aio(1, 2);
    await b[Symbol.asyncDispose]();
    expect(b.closed).toBe(true);
  });
});

describe("options", () => {
  it("passes the caller's flags to the worker, leaving out those a worker refuses", async () => {
    const s = new Synchronizer({ execArgv: ["--expose-gc", "--max-old-space-size", "64", "--no-warnings"] });
    try {
      expect(s.wrapModule<Basic>(fixture("basic")).add(2, 3)).toBe(5);
    } finally {
      await s.close();
    }
  });

  it("rejects bad options with errors that name them", () => {
    expect(() => new Synchronizer(null as never)).toThrow(/options must be an object, not null/);
    expect(() => new Synchronizer({ execArgv: "--x" as never })).toThrow(/options.execArgv must be an array of strings/);
    expect(() => new Synchronizer({ restart: "yes" as never })).toThrow(/options.restart must be a boolean, not string/);
  });
});

describe("processes", () => {
  it("a script that used a synchronizer exits by itself when its work is done", async () => {
    const result = await runNode(script("exits-by-itself.mjs"), [], { deadlineMs: 15_000 });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").filter(Boolean)).toEqual(["blocking 9", "future 16", "aio 25", "end of script", "late aio 36"]);
  });

  it("worker output reaches the terminal in order while the caller is blocked", async () => {
    const result = await runNode(script("output-order.mjs"), [], { deadlineMs: 15_000 });
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").filter(Boolean)).toEqual([
      "caller before",
      "worker log 0",
      "worker log 1",
      "worker log 2",
      "worker log 3",
      "worker log 4",
      "worker write",
      "caller after: done",
      "worker last words",
      "caller end",
    ]);
    expect(result.stderr).toBe("worker error line\n");
  });

  it("worker output is not lost when the process exits right after the call", async () => {
    for (let i = 0; i < 5; i++) {
      const result = await runNode(script("output-order.mjs"), ["exit-now"], { deadlineMs: 15_000 });
      expect(result.code).toBe(0);
      expect(result.stdout.split("\n").filter(Boolean).slice(-2)).toEqual(["caller after: done", "worker last words"]);
    }
  });

  it("under tsx, the worker imports a .ts implementation", async () => {
    const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
    const result = await run(tsx, [script("tsx-main.ts")], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("square 49\naio 64\n");
    expect(result.code).toBe(0);
  });
});
