// The worker runs requests in their call context only once something can read it: the
// implementation loaded synchronicity-js/worker, or the caller sent a function (see
// src/worker/call-context.ts). These tests use an implementation that never loads it.
import { afterEach, describe, expect, it } from "vitest";
import { Synchronizer } from "synchronicity-js";
import { fixture, thrown } from "./helpers.js";

type Api = typeof import("./fixtures/untracked.js");
const refused = /returned a promise while the caller is blocked/;

let synchronizer: Synchronizer;
// A blocked test thread cannot be timed out by the test runner: each call has a timeout of its own,
// so that a regression fails (with a TimeoutError) instead of hanging the run.
const fresh = () => {
  synchronizer = new Synchronizer({ timeout: 10_000 });
  return synchronizer.wrapModule<Api>(fixture("untracked"));
};
afterEach(() => synchronizer.close());

describe("call tracking", () => {
  it("is off until the caller's first function arrives, then on", async () => {
    const api = fresh();
    expect(api.add(1, 2)).toBe(3);
    expect(await api.add.aio(3, 4)).toBe(7);
    expect(api.tracking()).toBe(false);
    expect(api.callWith((x) => x * 2, 21)).toBe(42);
    expect(api.tracking()).toBe(true);
  });

  it("is on for a worker whose implementation loads synchronicity-js/worker", () => {
    const api = fresh();
    // callbacks.ts imports it; the untracked fixture, loaded in the same worker, reports the flag.
    const other = synchronizer.wrapModule<typeof import("./fixtures/callbacks.js")>(fixture("callbacks"));
    other.takeLog();
    expect(api.tracking()).toBe(true);
  });

  it("covers a call that waited in the worker for its module, whose loading turned tracking on", async () => {
    synchronizer = new Synchronizer({ timeout: 10_000 });
    const api = synchronizer.wrapModule<typeof import("./fixtures/tracked-late.js")>(fixture("tracked-late"));
    expect(await api.callId.aio()).toEqual(expect.any(Number));
    await api.exitWorker.aio().catch(() => {});
    // A new worker: the module's shape is known here, so the call is sent with the import, and
    // waits in the worker while the module loads.
    expect(await api.callId.aio()).toEqual(expect.any(Number));
    expect(await Promise.all([api.callId.aio(), api.callId.aio()])).toEqual([expect.any(Number), expect.any(Number)]);
  });

  it("covers the request that carries the first function: an async callback in its blocking call is refused (exported function)", () => {
    const api = fresh();
    const error = thrown(() => api.callWith(async (x) => x, 1));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(refused);
    // The same function, sync, works; async works with .aio.
    expect(api.callWith((x) => x + 1, 1)).toBe(2);
  });

  it("covers the request that carries the first function: the same through a method", async () => {
    const api = fresh();
    const applier = new api.Applier();
    expect((thrown(() => applier.apply(async (x) => x, 1)) as Error).message).toMatch(refused);
    expect(await applier.apply.aio(async (x) => x * 3, 2)).toBe(6);
  });

  it("a call that started before the first function arrived is still known: blocked on it through a Future, an async callback is refused, not waited for", () => {
    const api = fresh();
    const future = api.callStoredAfter.future(300, 5);
    // Carries the first function, while the call above waits in the worker, untracked.
    api.store(async (x) => x);
    const error = thrown(() => future.result());
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(refused);
  });

  it("the same call with a synchronous function stored: the callback runs in the blocked thread", () => {
    const api = fresh();
    const future = api.callStoredAfter.future(300, 5);
    api.store((x) => x * 10);
    expect(future.result()).toBe(50);
  });

  it("a read-ahead pump that started before the first function arrived is still known: a blocking step refuses an async callback it makes", () => {
    const api = fresh();
    const items = api.yieldStoredAfter.with({ readAhead: 4 })(300, 7);
    expect(items.next()).toEqual({ done: false, value: 0 });
    api.store(async (x) => x);
    const error = thrown(() => items.next());
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(refused);
  });

  it("that pump with a synchronous function stored: the step gets its value", () => {
    const api = fresh();
    const items = api.yieldStoredAfter.with({ readAhead: 4 })(300, 7);
    expect(items.next()).toEqual({ done: false, value: 0 });
    api.store((x) => x + 1);
    expect(items.next()).toEqual({ done: false, value: 8 });
    expect(items.next()).toEqual({ done: true, value: undefined });
  });
});
