// Starting, closing and disposing a synchronizer; processes that end by themselves.
import { describe, expect, it } from "vitest";
import { ClosedError, Synchronizer } from "synchronicity-js";
import { fixture, repoRoot, run, runNode, script, sleep, timed, waitFor } from "./helpers.js";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Basic = typeof import("./fixtures/basic.js");
type Introspect = typeof import("./fixtures/introspect.js");

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

  it("rejects calls in flight at once with a clear error", async () => {
    const s = new Synchronizer({ shutdownTimeout: 500 });
    const api = s.wrapModule<Basic>(fixture("basic"));
    let rejectedAfter = 0;
    const inFlight = api.square.aio(2, 5_000).catch((error: unknown) => {
      rejectedAfter = performance.now() - closing;
      return error;
    });
    const future = api.square.future(3, 5_000);
    await api.add.aio(1, 1); // both calls have reached the worker
    const closing = performance.now();
    const closed = s.close();
    expect(await inFlight).toBeInstanceOf(ClosedError);
    expect(String(await inFlight)).toMatch(/closed while this call was in flight/);
    // "At once": long before the 500 ms that close() then gives the worker.
    expect(rejectedAfter).toBeLessThan(250);
    expect(() => future.result()).toThrow(ClosedError);
    await closed;
  });

  /** Starts a heartbeat task that ignores its AbortSignal, closes, and reports how long close() took and whether beats went on. */
  async function closeWhileBeating(options: ConstructorParameters<typeof Synchronizer>[0]) {
    const dir = mkdtempSync(join(tmpdir(), "synchronicity-close-"));
    const beats = join(dir, "beats.log");
    const s = new Synchronizer(options);
    try {
      const api = s.wrapModule<Introspect>(fixture("introspect"));
      void api.heartbeat.aio(beats, 10).catch(() => {});
      const size = () => {
        try {
          return readFileSync(beats, "utf8").length;
        } catch {
          return 0;
        }
      };
      await waitFor(() => size() > 0, "the first heartbeat");
      const { ms } = await timed(() => s.close());
      const atClose = size();
      await sleep(200); // 20 beats' worth: any beat now would come from a worker still running
      return { ms, beatsAfterClose: size() - atClose };
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // The bounds leave seconds of room for a loaded machine, yet tell 500 ms and 0 apart from the
  // default of 3 s (an option ignored) and from waiting for the task (60 s).
  it("waits at most shutdownTimeout for tasks that ignore their signal, and then nothing of the worker runs", async () => {
    const { ms, beatsAfterClose } = await closeWhileBeating({ shutdownTimeout: 500 });
    expect(ms).toBeGreaterThanOrEqual(480);
    expect(ms).toBeLessThan(2_500);
    expect(beatsAfterClose).toBe(0);
  });

  it("with shutdownTimeout: 0 does not wait at all", async () => {
    const { ms, beatsAfterClose } = await closeWhileBeating({ shutdownTimeout: 0 });
    expect(ms).toBeLessThan(2_000);
    expect(beatsAfterClose).toBe(0);
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
    const s = new Synchronizer({ execArgv: ["--expose-gc", "--max-old-space-size", "64", "--no-warnings", "--conditions=custom"] });
    try {
      // --max-old-space-size takes its value ("64") along when it is left out.
      expect(s.wrapModule<Introspect>(fixture("introspect")).whereAmI().execArgv).toEqual(["--no-warnings", "--conditions=custom"]);
    } finally {
      await s.close();
    }
  });

  it("execArgv: [] gives the worker no flags", async () => {
    const s = new Synchronizer({ execArgv: [] });
    try {
      expect(s.wrapModule<Introspect>(fixture("introspect")).whereAmI().execArgv).toEqual([]);
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
  it("the worker starts on the first call, not at new Synchronizer() or wrapModule; by default it inherits the process's flags but those a worker refuses", async () => {
    const flags = ["--no-warnings", "--expose-gc", "--conditions=inherited"];
    const result = await run(process.execPath, [...flags, script("worker-start.mjs")], { deadlineMs: 45_000 });
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as { before: number; afterWrap: number; afterCall: number; callerExecArgv: string[]; workerExecArgv: string[] };
    expect(report.afterWrap).toBe(report.before);
    expect(report.afterCall).toBeGreaterThanOrEqual(report.before + 1); // the worker (a short call starts no supervisor)
    expect(report.callerExecArgv).toEqual(flags);
    expect(report.workerExecArgv).toEqual(["--no-warnings", "--conditions=inherited"]);
  }, 60_000);

  it("the supervisor starts only when needed: not for short calls, but for diagnostics(), a call that goes on, a death", async () => {
    const result = await runNode(script("supervisor-start.mjs"));
    expect(result.stderr).toBe("");
    type Created = { file: string; state: number | null; step: string };
    const report = JSON.parse(result.stdout) as {
      results: number[];
      signals: string | undefined;
      short: Created[];
      long: string;
      longThreads: Created[];
      death: unknown;
      deathThreads: Created[];
    };
    expect(report.results).toEqual([5, 9]);
    // The loop thread alone for short calls, the first included; diagnostics() starts the
    // supervisor (the loop marked itself running, STATE 1) and resolves once Ctrl-C is watched.
    expect(report.short).toEqual([
      { file: "loop.js", state: 0, step: "short calls" },
      { file: "supervisor.js", state: 1, step: "diagnostics" },
    ]);
    expect(report.signals).toMatch(/^(signal_wrap|native-helper|none)$/);
    // A blocking call of 500 ms starts it while it waits.
    expect(report.long).toBe("slow done");
    expect(report.longThreads).toEqual([
      { file: "loop.js", state: 0, step: "first call" },
      { file: "supervisor.js", state: 1, step: "long call" },
    ]);
    // A death in the first call still reaches the blocked caller, through a supervisor started then.
    expect(report.death).toEqual({ name: "WorkerExitError", exitCode: 7 });
    expect(report.deathThreads.map(({ file, step }) => [file, step])).toEqual([
      ["loop.js", "dying call"],
      ["supervisor.js", "dying call"],
    ]);
  }, 60_000);

  it("at process exit, waits for the worker's shutdown at most shutdownTimeout, and not at all with 0", async () => {
    const exitTakes = async (shutdownTimeout: number) => {
      const result = await runNode(script("exit-timing.mjs"), [String(shutdownTimeout)], { deadlineMs: 45_000 });
      const exitedAt = Date.now();
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const exitingAt = Number(/exiting at (\d+)/.exec(result.stdout)?.[1]);
      return exitedAt - exitingAt;
    };
    // Measured from process.exit() to the process being gone; the default (3 s) would exceed both.
    const bounded = await exitTakes(1_000);
    expect(bounded).toBeGreaterThanOrEqual(950);
    expect(bounded).toBeLessThan(2_900);
    expect(await exitTakes(0)).toBeLessThan(2_000);
  }, 120_000);

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

  it("what a preload writes in the worker, before the worker's own code runs, reaches stdout and stderr in order, though the process exits after one call", async () => {
    // The caller does not have Node forward the worker's streams (caller/host/loop-thread.ts):
    // the preload's lines must reach the terminal all the same, written by the worker itself.
    const says = join(repoRoot, "test", "scripts", "preloads", "says.cjs");
    const result = await run(process.execPath, ["--require", says, script("preload-output.mjs")], { deadlineMs: 15_000 });
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").filter(Boolean)).toEqual(["preload stdout, thread 0", "preload stdout, thread 1", "called, worker thread 1"]);
    expect(result.stderr.split("\n").filter(Boolean)).toEqual(["preload stderr, thread 0", "preload stderr, thread 1"]);
  });

  it("worker output reaches the terminal at once while the caller is blocked, not when the call returns", async () => {
    // The worker prints a line every 250 ms during one blocking call; note when each line arrives.
    const arrivals = new Map<string, number>();
    let partial = "";
    const result = await runNode(script("output-order.mjs"), ["slow"], {
      deadlineMs: 45_000,
      onStdout: (chunk) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop()!;
        for (const line of lines) if (!arrivals.has(line)) arrivals.set(line, performance.now());
      },
    });
    expect(result.code).toBe(0);
    const first = arrivals.get("worker log 0")!;
    const last = arrivals.get("worker log 4")!;
    const returned = arrivals.get("caller after: done")!;
    // Held back until the call returned, all three would arrive together. Four 250 ms pauses lie
    // between the first and the last line, five between the first line and the return.
    expect(last - first).toBeGreaterThanOrEqual(500);
    expect(returned - first).toBeGreaterThanOrEqual(800);
    expect(result.stdout.split("\n").filter(Boolean).slice(0, 7)).toEqual(["caller before", ...[0, 1, 2, 3, 4].map((i) => `worker log ${i}`), "worker write"]);
   }, 60_000);

  it("worker output is not lost when the process exits right after the call", async () => {
    for (let i = 0; i < 5; i++) {
      const result = await runNode(script("output-order.mjs"), ["exit-now"], { deadlineMs: 30_000 });
      expect(result.code).toBe(0);
      expect(result.stdout.split("\n").filter(Boolean).slice(-2)).toEqual(["caller after: done", "worker last words"]);
    }
  }, 120_000);

  it("under tsx, the worker imports a .ts implementation", async () => {
    const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
    const result = await run(tsx, [script("tsx-main.ts")], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("square 49\naio 64\n");
    expect(result.code).toBe(0);
  });
});
