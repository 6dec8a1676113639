// Callbacks, re-entrant calls, deadlock guard, cancellation, timeouts, call context (issue 5).
import { getEventListeners } from "node:events";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { Synchronizer, TimeoutError } from "synchronicity-js";
import { fixture, runNode, script, sleep, thrown, timed } from "./helpers.js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule<typeof import("./fixtures/callbacks.js")>(fixture("callbacks"));
afterAll(() => synchronizer.close());
beforeEach(() => {
  api.takeLog();
});

describe("callbacks", () => {
  it("run in the caller's thread during a blocking call, with their return values", () => {
    const seen: string[] = [];
    const results = api.withProgress(3, (step, label) => {
      seen.push(label);
      return step * 10;
    });
    expect(seen).toEqual(["step 0", "step 1", "step 2"]);
    expect(results).toEqual([0, 10, 20]);
  });

  it("run during .aio calls, sync and async", async () => {
    expect(await api.withProgress.aio(2, (step) => step + 1)).toEqual([1, 2]);
    expect(
      await api.withProgress.aio(2, async (step) => {
        await sleep(5);
        return `async ${step}`;
      }),
    ).toEqual(["async 0", "async 1"]);
  });

  it("refuse an async callback during the blocking call that invokes it, with an error that says why", () => {
    const result = api.catches(async () => "never");
    expect(result.name).toBe("TypeError");
    expect(result.message).toMatch(/returned a promise while the caller is blocked/);
    expect(result.message).toMatch(/\.aio/);
  });

  it("work nested in objects and arrays", () => {
    expect(api.nested({ handlers: [(x) => x + 1], transform: (s) => s.toUpperCase() })).toEqual([21, "ABC"]);
  });

  it("propagate their errors into the worker as thrown errors", () => {
    const attempts: number[] = [];
    const result = api.retry(
      3,
      (error, attempt) => {
        attempts.push(attempt);
        return (error as Error).message === "flaky";
      },
      (attempt) => {
        if (attempt < 3) throw new Error("flaky");
        return "ok on 3";
      },
    );
    expect(result).toBe("ok on 3");
    expect(attempts).toEqual([1, 2]);
    expect(api.catches(() => { throw new RangeError("from the caller"); })).toEqual({ name: "RangeError", message: "from the caller" });
  });

  it("can call wrapped functions (re-entrancy, two levels deep, blocking)", () => {
    const trail: string[] = [];
    const result = api.outer(2, function level(depth): unknown {
      trail.push(`level ${depth}`);
      if (depth === 0) return api.double(21);
      return api.outer(depth - 1, level);
    });
    expect(result).toBe(42);
    expect(trail).toEqual(["level 2", "level 1", "level 0"]);
  });

  it("can call wrapped functions (re-entrancy, two levels deep, async)", async () => {
    const level = async (depth: number): Promise<unknown> => (depth === 0 ? api.double.aio(5) : api.outer.aio(depth - 1, level));
    expect(await api.outer.aio(2, level)).toBe(10);
  });

  it("stay usable as listeners the worker keeps, for .aio users", async () => {
    api.unsubscribeAll();
    const received: string[] = [];
    api.subscribe((event) => received.push(`first ${event}`));
    api.subscribe(async (event) => {
      await sleep(1);
      received.push(`second ${event}`);
      return "ack";
    });
    await api.emit.aio("a");
    await api.emit.aio("b");
    expect(received.sort()).toEqual(["first a", "first b", "second a", "second b"]);
    api.unsubscribeAll();
  });

  it("arrive as the same proxy for the same function", () => {
    const fn = () => 1;
    expect(api.sameListener(fn, fn)).toBe(true);
    expect(api.sameListener(fn, () => 1)).toBe(false);
  });

  it("are released in the caller when the worker drops them (--expose-gc)", async () => {
    const result = await runNode(script("callback-release.mjs"), [], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ registeredWhileKept: true, releasedAfterDrop: true });
  });
});

describe("deadlock guard", () => {
  it("a blocking call from inside the worker fails at once with a DeadlockError", async () => {
    const result = await runNode(script("deadlock.mjs"), [], { deadlineMs: 20_000 });
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as { name: string; code: string; message: string; ms: number; aio: number };
    expect(report.name).toBe("DeadlockError");
    expect(report.code).toBe("ERR_SYNCHRONICITY_DEADLOCK");
    expect(report.message).toMatch(/deadlock/);
    expect(report.message).toMatch(/\.aio/);
    expect(report.ms).toBeLessThan(1_000);
    expect(report.aio).toBe(6);
  });
});

describe("cancellation", () => {
  it("an aborted signal before the call: rejected at once, nothing runs", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(api.slow.with({ signal: controller.signal }).aio(50)).rejects.toThrow(/aborted/);
    expect(() => api.slow.with({ signal: controller.signal })(50)).toThrow(/aborted/);
    await sleep(20);
    expect(api.takeLog()).toEqual([]);
  });

  it("abort mid-run: an AbortError at once, and the worker task sees its signal and cleans up", async () => {
    const controller = new AbortController();
    const call = api.slow.with({ signal: controller.signal }).aio(5_000, "mid");
    await sleep(50);
    const { value: error, ms } = await timed(async () => {
      controller.abort();
      return call.catch((e: unknown) => e);
    });
    expect((error as Error).name).toBe("AbortError");
    expect(ms).toBeLessThan(100);
    await sleep(50);
    expect(api.takeLog()).toEqual(["mid started in a call", "mid aborted: AbortError", "mid cleanup"]);
  });

  it("abort after completion changes nothing: the listener is gone, no task is aborted, calls in flight finish", async () => {
    const controller = new AbortController();
    const calls = api.slow.with({ signal: controller.signal });
    expect(await calls.aio(1, "done")).toBe("finished");
    expect(calls(1, "blocking done")).toBe("finished");
    expect(calls.future(1, "future done").result()).toBe("finished");
    // The settled calls no longer listen to the signal (else a long-lived signal would leak them).
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    // A call in flight without that signal (it may reuse a finished call's id) is not touched.
    const other = api.slow.aio(300, "other");
    await sleep(50);
    controller.abort();
    expect(await other).toBe("finished");
    expect(api.takeLog()).toEqual([
      "done started in a call",
      "done cleanup",
      "blocking done started in a call",
      "blocking done cleanup",
      "future done started in a call",
      "future done cleanup",
      "other started in a call",
      "other cleanup",
    ]);
  });

  it("Future.cancel() does the same", async () => {
    const future = api.slow.future(5_000, "future");
    await sleep(30);
    future.cancel();
    expect(future.done).toBe(true);
    expect(() => future.result()).toThrow(/cancelled/);
    await sleep(50);
    expect(api.takeLog()).toEqual(["future started in a call", "future aborted: AbortError", "future cleanup"]);
  });

  it("a signal aborted by a callback during a blocking call stops the wait", () => {
    const controller = new AbortController();
    const call = () => api.afterCallback.with({ signal: controller.signal })(() => controller.abort(), 5_000);
    expect(call).toThrow(/aborted/);
    expect(api.echo("still usable")).toBe("still usable");
  });
});

describe("timeouts", () => {
  it("a blocking call with a timeout throws a TimeoutError after about that long and cancels the task", async () => {
    const { value: error, ms } = await timed(() => thrown(() => api.slow.with({ timeout: 100 })(5_000, "timed")));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(ms).toBeGreaterThanOrEqual(95);
    expect(ms).toBeLessThan(1_000);
    await sleep(50);
    expect(api.takeLog()).toEqual(["timed started in a call", "timed aborted: TimeoutError", "timed cleanup"]);
  });

  it("then 1,000 normal calls all return their own results (the late reply is discarded)", async () => {
    expect(() => api.slow.with({ timeout: 20 })(60, "late")).toThrow(TimeoutError);
    const blocking = Array.from({ length: 500 }, (_, i) => api.echo(i));
    const asyncResults = await Promise.all(Array.from({ length: 500 }, (_, i) => api.echo.aio(`a${i}`)));
    expect(blocking).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(asyncResults).toEqual(Array.from({ length: 500 }, (_, i) => `a${i}`));
  });

  it("apply to a blocking future.result() too (its timer cannot run while the thread blocks)", () => {
    const started = performance.now();
    const future = api.slow.with({ timeout: 100 }).future(5_000);
    expect(() => future.result()).toThrow(TimeoutError);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(future.done).toBe(true);
    expect(api.echo(2)).toBe(2);
  });

  it("apply to .aio and .future too", async () => {
    await expect(api.slow.with({ timeout: 30 }).aio(5_000)).rejects.toBeInstanceOf(TimeoutError);
    const future = api.slow.with({ timeout: 30 }).future(5_000);
    await expect(future).rejects.toBeInstanceOf(TimeoutError);
  });

  it("a synchronizer-wide default applies to calls that give none", async () => {
    const s = new Synchronizer({ timeout: 1_000 });
    const quick = s.wrapModule<typeof import("./fixtures/callbacks.js")>(fixture("callbacks"));
    try {
      // Starting the worker and loading the module count against the first call's timeout, which
      // a loaded machine can exceed: that first call gets its own.
      expect(quick.echo.with({ timeout: 60_000 })(0)).toBe(0);
      expect(quick.echo(1)).toBe(1);
      const { value: error, ms } = await timed(() => thrown(() => quick.slow(5_000)));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(ms).toBeGreaterThanOrEqual(950);
      expect(quick.slow.with({ timeout: 30_000 })(10)).toBe("finished");
    } finally {
      await s.close();
    }
  });

  it("reject bad options clearly", () => {
    expect(() => api.slow.with({ timeout: -1 })).toThrow(/timeout must be a non-negative number/);
    expect(() => api.slow.with({ signal: {} as AbortSignal })).toThrow(/signal must be an AbortSignal/);
    expect(() => new Synchronizer({ timeout: "1s" as never })).toThrow(/options.timeout/);
  });
});

describe("worker-side call context", () => {
  it("tells implementation code which call it serves, without leaking between concurrent calls", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => api.callIds.aio()));
    for (const [before, after] of results) {
      expect(before).toBeTypeOf("number");
      expect(after).toBe(before);
    }
    expect(new Set(results.map(([id]) => id)).size).toBe(20);
  });
});
