// Iteration across the boundary in the forms peers' suites use (issue 9, items 17, 18, 20): async
// iterables that return `this`, iterators the caller passes to the worker, and the caller's frames
// in errors of `for await` loops.
import { afterAll, describe, expect, it } from "vitest";
import { Synchronizer } from "synchronicity-js";
import { fixture } from "./helpers.js";

type Iterables = typeof import("./fixtures/iterables.js");
const synchronizer = new Synchronizer();
afterAll(() => synchronizer.close());
const api = synchronizer.wrapModule<Iterables>(fixture("iterables"));

describe("an async iterable whose [Symbol.asyncIterator]() returns this (item 17)", () => {
  it("iterates with for await and with for...of", async () => {
    const seen: number[] = [];
    for await (const n of api.countdown(3)) seen.push(n);
    expect(seen).toEqual([3, 2, 1]);
    const blocking: number[] = [];
    for (const n of api.countdown(2)) blocking.push(n);
    expect(blocking).toEqual([2, 1]);
  });

  it("the object itself stays usable while and after it is iterated", () => {
    const countdown = api.countdown(3);
    const it = countdown[Symbol.iterator]();
    expect(it.next()).toEqual({ done: false, value: 3 });
    expect(countdown.remaining).toBe(2);
    it.return(undefined);
    expect(countdown.remaining).toBe(2);
    expect([...countdown]).toEqual([2, 1]);
  });
});

function* numbers(log: string[]): Generator<number> {
  try {
    for (let i = 1; i <= 4; i++) {
      log.push(`yield ${i}`);
      yield i;
    }
  } finally {
    log.push("closed");
  }
}

async function* asyncNumbers(log: string[]): AsyncGenerator<number> {
  try {
    for (let i = 1; i <= 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.push(`yield ${i}`);
      yield i;
    }
  } finally {
    log.push("closed");
  }
}

describe("iterators passed to the worker (item 18)", () => {
  it("a generator argument is iterated by the worker, item by item, in the caller's thread", () => {
    const log: string[] = [];
    expect(api.sum(numbers(log))).toBe(10);
    expect(log).toEqual(["yield 1", "yield 2", "yield 3", "yield 4", "closed"]);
  });

  it("an async generator argument works with .aio", async () => {
    const log: string[] = [];
    expect(await api.sum.aio(asyncNumbers(log))).toBe(10);
    expect(log.at(-1)).toBe("closed");
  });

  it("an async generator passed to a blocking call gets the callback rule's TypeError, and the synchronizer stays usable", () => {
    expect(() => api.sum(asyncNumbers([]))).toThrow(/returned a promise while the caller is blocked/);
    expect(api.sum([1, 2, 3])).toBe(6); // arrays are still data
  });

  it("stopping early closes the caller's generator (its finally runs here)", async () => {
    const log: string[] = [];
    expect(api.firstTwo(numbers(log))).toEqual([1, 2]);
    expect(log).toEqual(["yield 1", "yield 2", "closed"]);
    const asyncLog: string[] = [];
    expect(await api.firstTwo.aio(asyncNumbers(asyncLog))).toEqual([1, 2]);
    expect(asyncLog).toEqual(["yield 1", "yield 2", "closed"]);
  });

  it("next(value) and throw(error) reach the caller's generator", () => {
    function* talker(): Generator<string, string, string> {
      const heard = yield "ready";
      try {
        yield `heard ${heard}`;
      } catch (error) {
        return `caught ${(error as Error).message}`;
      }
      return "not reached";
    }
    expect(api.converse(talker())).toEqual(["ready", "heard hello", "caught stop (done: true)"]);
  });

  it("a plain object with [Symbol.iterator] or [Symbol.asyncIterator] is iterated too", async () => {
    const iterable = {
      *[Symbol.iterator]() {
        yield 5;
        yield 6;
      },
    };
    expect(api.sum(iterable)).toBe(11);
    const asyncIterable = {
      async *[Symbol.asyncIterator]() {
        yield 7;
        yield 8;
      },
    };
    expect(await api.sum.aio(asyncIterable)).toBe(15);
  });

  it("a callback may return an iterator", async () => {
    expect(api.sumFrom(() => numbers([]))).toBe(10);
    expect(await api.sumFrom.aio(async () => asyncNumbers([]))).toBe(10);
  });

  it("an error the caller's generator throws reaches the worker's loop, then the caller", () => {
    function* broken(): Generator<number> {
      yield 1;
      throw new TypeError("broken generator");
    }
    expect(() => api.sum(broken())).toThrow(TypeError);
    expect(() => api.sum(broken())).toThrow(/broken generator/);
  });
});

describe("for await over a .aio generator (item 20)", () => {
  it("its errors carry the caller's frames, as plain .aio calls do", async () => {
    async function forAwaitCallerMarker(): Promise<number[]> {
      const seen: number[] = [];
      for await (const n of api.failing.aio()) seen.push(n);
      return seen;
    }
    const error = (await forAwaitCallerMarker().catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.stack).toContain("fixtures/iterables.js");
    expect(error.stack).toContain("forAwaitCallerMarker");
    expect(error.stack).not.toMatch(/[\\/](dist|src)[\\/](cjs[\\/]|esm[\\/])?(caller|worker|protocol)[\\/]/);
  });
});
