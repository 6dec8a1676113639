// The "Functions" and "Futures" behaviours of shared/reference/behaviours.md.
import { threadId } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { Future, Synchronizer } from "synchronicity-js";
import { fixture, sleep, timed } from "./helpers.js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule<typeof import("./fixtures/basic.js")>(fixture("basic"));
afterAll(() => synchronizer.close());

const d = 100;

describe("blocking calls", () => {
  it("returns the async function's result after at least d and well under 2d", async () => {
    api.add(0, 0); // start the worker and load the module outside the timed part
    // Its supervisor too, which a blocking call would start 50 ms in (caller/host/worker-host.ts):
    // creating a thread holds this one up for a moment (on Deno, once, over 100 ms).
    await synchronizer.diagnostics();
    const { value, ms } = await timed(() => api.square(4, d));
    expect(value).toBe(16);
    expect(ms).toBeGreaterThanOrEqual(d - 2);
    expect(ms).toBeLessThan(2 * d);
  });

  it("runs sync exports in the worker", async () => {
    expect(api.add(1, 2)).toBe(3);
    expect(api.default("ada")).toBe("hello, ada");
    // Not a copy run locally: the function sees the worker's thread, in every form.
    const introspect = synchronizer.wrapModule<typeof import("./fixtures/introspect.js")>(fixture("introspect"));
    const blocking = introspect.whereAmI();
    expect(blocking.isMainThread).toBe(false);
    expect(blocking.threadId).not.toBe(threadId);
    expect((await introspect.whereAmI.aio()).threadId).toBe(blocking.threadId);
    expect(introspect.whereAmI.future().result().threadId).toBe(blocking.threadId);
    expect(introspect.whereAmIAsync().threadId).toBe(blocking.threadId);
  });

  it("treats a sync function that returns a promise like an async one", () => {
    expect(api.later("x", 20)).toBe("x");
  });

  it("runs 10 sequential blocking calls one after the other (~10 d)", async () => {
    const { value, ms } = await timed(() => Array.from({ length: 10 }, (_, i) => api.square(i, 50)));
    expect(value).toEqual([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
    expect(ms).toBeGreaterThanOrEqual(10 * 50 - 5);
    expect(ms).toBeLessThan(20 * 50);
  });

  it("keeps the worker's state between calls", () => {
    const first = api.increment();
    expect(api.increment()).toBe(first + 1);
  });

  it("passes undefined and missing arguments as they are", () => {
    expect(api.describe()).toEqual({ count: 0, types: [] });
    expect(api.describe(undefined)).toEqual({ count: 1, types: ["undefined"] });
    expect(api.describe(1, undefined, "x")).toEqual({ count: 3, types: ["number", "undefined", "string"] });
  });
});

describe(".aio", () => {
  it("returns a promise of the same result", async () => {
    await expect(api.square.aio(5, 10)).resolves.toBe(25);
  });

  it("builds the promise without waiting for the worker", async () => {
    const { value: promise, ms } = await timed(() => {
      const p = api.square.aio(3, d);
      return { p };
    });
    expect(ms).toBeLessThan(d / 2);
    await expect(promise.p).resolves.toBe(9);
  });

  it("runs 20 concurrent calls in about one d", async () => {
    const { value, ms } = await timed(() => Promise.all(Array.from({ length: 20 }, (_, i) => api.square.aio(i, d))));
    expect(value).toEqual(Array.from({ length: 20 }, (_, i) => i * i));
    expect(ms).toBeLessThan(3 * d);
  });

  it("does not block the caller's event loop while the worker's thread is busy", async () => {
    const busy = api.spin.aio(300);
    const { ms } = await timed(() => sleep(50));
    expect(ms).toBeLessThan(200);
    expect(await busy).toBeGreaterThan(0);
  });

  it("is an async function with the implementation's name", () => {
    expect(api.square.name).toBe("square");
    expect(api.square.aio.name).toBe("square");
    expect(api.square.aio.constructor.name).toBe("AsyncFunction");
  });

  it("gives the same wrapper each time", () => {
    expect(api.square).toBe(api.square);
    const again = synchronizer.wrapModule<typeof import("./fixtures/basic.js")>(fixture("basic"));
    expect(again).toBe(api);
  });
});

describe("futures", () => {
  it("returns at once and resolves with result()", async () => {
    const { value: future, ms } = await timed(() => ({ f: api.square.future(6, d) }));
    expect(ms).toBeLessThan(d / 2);
    expect(future.f).toBeInstanceOf(Future);
    expect(future.f.done).toBe(false);
    expect(future.f.result()).toBe(36);
    expect(future.f.done).toBe(true);
    expect(future.f.result()).toBe(36);
  });

  it("is awaitable", async () => {
    expect(await api.square.future(7, 10)).toBe(49);
    await expect(api.square.future(8, 10).then((x) => x + 1)).resolves.toBe(65);
  });

  it("resolves 100 futures of a d-sleep together in about one d", async () => {
    const { value, ms } = await timed(() => {
      const futures = Array.from({ length: 100 }, (_, i) => api.square.future(i, d));
      return futures.map((f) => f.result());
    });
    expect(value).toEqual(Array.from({ length: 100 }, (_, i) => i * i));
    expect(ms).toBeLessThan(4 * d);
  });

  it("result(timeout) throws a TimeoutError and the future stays usable", () => {
    const future = api.square.future(9, 300);
    expect(() => future.result(20)).toThrow(/did not finish within 20 ms/);
    expect(future.done).toBe(false);
    expect(future.result()).toBe(81);
  });

  it("rejects a bad timeout", () => {
    const future = api.square.future(1, 1);
    expect(() => future.result(-1)).toThrow(TypeError);
    expect(future.result()).toBe(1);
  });

  it("throws the worker's error from result() and from await", async () => {
    const synchronizerForErrors = new Synchronizer();
    const errors = synchronizerForErrors.wrapModule<typeof import("./fixtures/errors.js")>(fixture("errors"));
    try {
      expect(() => errors.throwTypeError.future().result()).toThrow(TypeError);
      await expect(errors.throwRangeError.future()).rejects.toBeInstanceOf(RangeError);
    } finally {
      await synchronizerForErrors.close();
    }
  });
});

describe("concurrency", () => {
  it("routes every reply by id: a blocking call amid async calls and futures gets its own answer", async () => {
    const asyncCalls = Array.from({ length: 50 }, (_, i) => api.square.aio(i, 30 + (i % 7) * 10));
    const futures = Array.from({ length: 50 }, (_, i) => api.square.future(100 + i, 20 + (i % 5) * 10));
    const blocking = Array.from({ length: 20 }, (_, i) => api.add(i, 1000));
    expect(blocking).toEqual(Array.from({ length: 20 }, (_, i) => i + 1000));
    expect(futures.map((f) => f.result())).toEqual(Array.from({ length: 50 }, (_, i) => (100 + i) ** 2));
    expect(await Promise.all(asyncCalls)).toEqual(Array.from({ length: 50 }, (_, i) => i * i));
  });

  it("settles async calls whose replies arrive during a blocking call", async () => {
    const fast = api.square.aio(2, 10);
    api.square(3, 150); // the fast reply is read by this call's receive loop
    let settled = false;
    void fast.then(() => (settled = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true);
    expect(await fast).toBe(4);
  });
});

describe("constants", () => {
  it("reads exported constants", () => {
    expect(api.VERSION).toBe("1.2.3");
    expect(api.CONFIG).toEqual({ retries: 3, tags: new Set(["a", "b"]) });
  });

  it("are a snapshot taken when the module loads: later changes in the worker do not show", async () => {
    const s = new Synchronizer();
    try {
      const introspect = s.wrapModule<typeof import("./fixtures/introspect.js")>(fixture("introspect"));
      // The first use is a call that changes them: the snapshot was taken before it ran.
      expect(introspect.changeConstants()).toBe(2);
      expect(introspect.settings).toEqual({ level: 1, tags: ["initial"] });
      expect(introspect.generation).toBe(1);
      expect(introspect.changeConstants()).toBe(3);
      expect(introspect.settings).toEqual({ level: 1, tags: ["initial"] });
      expect(introspect.generation).toBe(1);
    } finally {
      await s.close();
    }
  });
});
