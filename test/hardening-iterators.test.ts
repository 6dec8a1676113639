// Iterators passed back, replies that fail to copy, read-ahead that keeps every good item, and
// callbacks from a generator running ahead (issue 9, items 2, 7, 10, 11).
import { afterAll, describe, expect, it } from "vitest";
import { DataCloneError, Synchronizer } from "synchronicity-js";
import { fixture } from "./helpers.js";

const synchronizer = new Synchronizer({ timeout: 20_000 });
const api = synchronizer.wrapModule<typeof import("./fixtures/hardening.js")>(fixture("hardening"));

afterAll(() => synchronizer.close());

function collect(iterator: Iterator<unknown>): unknown[] {
  const seen: unknown[] = [];
  try {
    for (let step = iterator.next(); !step.done; step = iterator.next()) seen.push(step.value);
  } catch (error) {
    seen.push(error instanceof DataCloneError ? "DataCloneError" : error);
  }
  return seen;
}

describe("an iterator passed back to the worker (item 7)", () => {
  it("arrives as the original iterator, blocking and async views alike", async () => {
    const it = api.count(4);
    expect(it.next().value).toBe(1);
    expect(api.drain(it)).toEqual([2, 3, 4]);
    const asyncIt = api.count.aio(3);
    expect((await asyncIt.next()).value).toBe(1);
    expect(await api.drain.aio(asyncIt)).toEqual([2, 3]);
  });

  it("one that has not started, or has finished, gives a clear error instead of {}", () => {
    expect(() => api.drain(api.count(2))).toThrow(/has not started yet/);
    const finished = api.count(1);
    collect(finished);
    expect(() => api.drain(finished)).toThrow(/has finished/);
    expect(api.ping()).toBe("pong");
  });
});

describe("a reply that fails to copy (item 10)", () => {
  it("leaves the implementation's own generator usable", () => {
    expect(() => api.keptGeneratorWithSymbol()).toThrow(DataCloneError);
    expect(api.keptGeneratorNext()).toBe(1);
    expect(() => api.keptGeneratorWithSymbol()).toThrow(DataCloneError);
    expect(api.keptGeneratorNext()).toBe(2);
  });
});

describe("read-ahead and an uncopyable item (item 11)", () => {
  it("delivers the items before it, then the error, like lockstep", async () => {
    const lockstep = collect(api.thenUncopyable());
    expect(lockstep).toEqual([1, 2, "DataCloneError"]);
    for (const readAhead of [1, 2, 8, 64]) {
      expect(collect(api.thenUncopyable.with({ readAhead })()), `readAhead ${readAhead}`).toEqual(lockstep);
      const seen: unknown[] = [];
      await expect(
        (async () => {
          for await (const item of api.thenUncopyable.with({ readAhead }).aio()) seen.push(item);
        })(),
      ).rejects.toBeInstanceOf(DataCloneError);
      expect(seen).toEqual([1, 2]);
    }
    expect(((await synchronizer.diagnostics()).worker?.handles ?? 0)).toBeLessThan(10);
  });
});

describe("an async callback during blocking iteration (item 2)", () => {
  it("gets the documented TypeError with read-ahead, as in lockstep, instead of hanging", () => {
    // Synchronous for the first item, so that the generator is running ahead when it turns async.
    const laterAsync = function laterAsync(i: number) {
      return i === 0 ? 0 : Promise.resolve(i * 10);
    };
    const expected = /TypeError: the callback laterAsync\(\) returned a promise while the caller is blocked/;
    const lockstep = collect(api.callsBack(3, laterAsync));
    expect(lockstep[0]).toBe(0);
    expect(String(lockstep[1])).toMatch(expected);
    for (const readAhead of [1, 4]) {
      const seen = collect(api.callsBack.with({ readAhead, timeout: 5_000 })(3, laterAsync));
      expect(seen[0], `readAhead ${readAhead}`).toBe(0);
      expect(String(seen[1]), `readAhead ${readAhead}`).toMatch(expected);
    }
  });

  it("sync callbacks work with read-ahead, and async ones with for await", async () => {
    expect([...api.callsBack.with({ readAhead: 4 })(3, (i: number) => i * 10)]).toEqual([0, 10, 20]);
    const seen: unknown[] = [];
    for await (const item of api.callsBack.with({ readAhead: 4 }).aio(3, async (i: number) => i + 1)) seen.push(item);
    expect(seen).toEqual([1, 2, 3]);
  });
});
