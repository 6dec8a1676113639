// Generators and iterators across the thread boundary (issue 3; behaviours.md, section Generators).
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DataCloneError, Synchronizer } from "synchronicity-js";
import { fixture, runNode, script, sleep, thrown, timed, waitFor } from "./helpers.js";

const synchronizer = new Synchronizer({ closeTimeoutMs: 300 });
const api = synchronizer.wrapModule<typeof import("./fixtures/generators.js")>(fixture("generators"));
afterAll(() => synchronizer.close());
beforeEach(() => {
  api.takeLog();
});

describe("blocking form", () => {
  it("is a lazy Generator-like object: nothing runs before the first next()", async () => {
    const it = api.ticks(3, 1);
    expect(typeof it.next).toBe("function");
    expect(it[Symbol.iterator]()).toBe(it);
    await sleep(50);
    expect(api.takeLog()).toEqual([]);
    expect(it.next()).toEqual({ done: false, value: 0 });
    expect(api.takeLog()).toEqual(["started", "producer 0"]);
    expect([...it]).toEqual([1, 2]);
  });

  it("iterates with for...of and gives the return value at the end", () => {
    const it = api.ticks(2, 1);
    expect(it.next().value).toBe(0);
    expect(it.next().value).toBe(1);
    expect(it.next()).toEqual({ done: true, value: "finished" });
    expect(it.next()).toEqual({ done: true, value: undefined });
  });

  it("interleaves producer and consumer strictly by default", () => {
    for (const i of api.ticks(3, 1)) api.record(`consumer ${i}`);
    expect(api.takeLog()).toEqual(["started", "producer 0", "consumer 0", "producer 1", "consumer 1", "producer 2", "consumer 2", "cleanup"]);
  });

  it("delivers next(v) to the yield", () => {
    const chat = api.conversation();
    expect(chat.next().value).toBe("hello");
    expect(chat.next("hi").value).toBe("you said hi");
    expect(chat.next("bye")).toEqual({ done: true, value: "goodbye" });
  });

  it("throw(e) throws inside the generator and returns what it yields next", () => {
    const chat = api.conversation();
    chat.next();
    chat.next("a");
    expect(chat.throw(new api.StopRequested("the caller")).value).toBe("recovered from the caller");
    expect(chat.next("b").value).toBe("you said b");
  });

  it("throw(e) rethrows when the generator does not catch it, and ends it", () => {
    const chat = api.conversation();
    chat.next();
    expect(() => chat.throw(new TypeError("unwanted"))).toThrow(TypeError);
    expect(chat.next()).toEqual({ done: true, value: undefined });
  });

  it("return() and throw() before the first next() complete it without running it", () => {
    const a = api.ticks(3);
    expect(a.return("early")).toEqual({ done: true, value: "early" });
    expect(a.next()).toEqual({ done: true, value: undefined });
    const b = api.ticks(3);
    expect(() => b.throw(new Error("never started"))).toThrow("never started");
    expect(api.takeLog()).toEqual([]);
  });

  it("an early break runs the generator's finally in the worker before the next statement", () => {
    for (const i of api.ticks(10, 1)) {
      if (i === 1) break;
    }
    expect(api.takeLog()).toEqual(["started", "producer 0", "producer 1", "cleanup"]);
  });

  it("return(v) runs the cleanup and returns v", () => {
    const it = api.ticks(10, 1);
    it.next();
    expect(it.return("stop")).toEqual({ done: true, value: "stop" });
    expect(api.takeLog()).toContain("cleanup");
  });

  it("an error before the first yield reaches the consumer with class, message and stack", () => {
    const error = thrown(() => {
      for (const x of api.failsBeforeFirstYield()) void x;
    }) as Error;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe("nothing to yield");
    expect(error.stack).toContain("fixtures/generators.js");
    expect(error.stack).toContain("generators.test.ts");
    expect(error.stack).not.toMatch(/[\\/](dist|src)[\\/](cjs[\\/]|esm[\\/])?(caller|worker|protocol)[\\/]/);
  });

  it("an error mid-stream arrives after the items before it, with its class", () => {
    const seen: number[] = [];
    expect(() => {
      for (const x of api.failsMidStream()) seen.push(x);
    }).toThrow(api.StopRequested);
    expect(seen).toEqual([1, 2]);
  });

  it("is disposable (Symbol.dispose closes it)", () => {
    const it = api.ticks(5, 1);
    it.next();
    it[Symbol.dispose]();
    expect(api.takeLog()).toContain("cleanup");
  });
});

describe("async form (.aio)", () => {
  it("is an AsyncGenerator-like object for for await", async () => {
    const seen: number[] = [];
    for await (const i of api.ticks.aio(3, 1)) seen.push(i);
    expect(seen).toEqual([0, 1, 2]);
  });

  it("has next(v), return(v) and throw(e)", async () => {
    const chat = api.conversation.aio();
    expect((await chat.next()).value).toBe("hello");
    expect((await chat.next("x")).value).toBe("you said x");
    expect((await chat.throw(new api.StopRequested("async"))).value).toBe("recovered from async");
    expect(await chat.return("over")).toEqual({ done: true, value: "over" });
  });

  it("runs cleanup on an early break", async () => {
    for await (const i of api.ticks.aio(10, 1)) {
      if (i === 0) break;
    }
    expect(api.takeLog()).toEqual(["started", "producer 0", "cleanup"]);
  });

  it("queues next() calls made without awaiting, in order", async () => {
    const it = api.numbers.aio(3);
    const results = await Promise.all([it.next(), it.next(), it.next(), it.next()]);
    expect(results).toEqual([
      { done: false, value: 0 },
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: true, value: undefined },
    ]);
  });

  it("a step that reaches the worker while an earlier one still runs waits for it", async () => {
    const it = api.racyCounter();
    const early = it[Symbol.asyncIterator]().next();
    await sleep(0); // the async step is sent; its next() in the worker waits 20 ms
    expect(it.next()).toEqual({ done: false, value: 1 });
    expect(await early).toEqual({ done: false, value: 0 });
  });

  it("rejects with the worker's error class", async () => {
    await expect(
      (async () => {
        for await (const x of api.failsBeforeFirstYield.aio()) void x;
      })(),
    ).rejects.toBeInstanceOf(RangeError);
  });
});

describe("bounded cleanup", () => {
  it("a cleanup that never finishes does not hang the caller", async () => {
    const { ms } = await timed(() => {
      for (const x of api.stuckCleanup()) {
        if (x === 1) break;
      }
    });
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(2_000);
    expect(api.takeLog()).toEqual(["stuck cleanup begins"]);
    expect(api.countdown(1).next().value).toBe(1); // still usable
  });

  it("a cleanup longer than closeTimeoutMs goes on in the background while the caller moves on", async () => {
    const { ms } = await timed(() => {
      for (const x of api.slowCleanup(5_000)) {
        if (x === 1) break;
      }
    });
    expect(ms).toBeGreaterThanOrEqual(250); // closeTimeoutMs is 300
    expect(ms).toBeLessThan(2_500);
    expect(api.takeLog()).toEqual(["slow cleanup begins"]); // the caller moved on; the cleanup did not stop
    const log: string[] = [];
    await waitFor(() => {
      log.push(...api.takeLog());
      return log.length > 0;
    }, "the cleanup to finish in the background", 20_000);
    expect(log).toEqual(["slow cleanup done"]);
  }, 30_000);

  it("the same for the async form", async () => {
    const it = api.stuckCleanup.aio();
    await it.next();
    const { value, ms } = await timed(() => it.return(undefined));
    expect(value).toEqual({ done: true, value: undefined });
    expect(ms).toBeLessThan(2_000);
  });
});

describe("iterables returned from calls, and sync generators", () => {
  it("an exported sync generator", async () => {
    expect([...api.countdown(3)]).toEqual([3, 2, 1]);
    const it = api.countdown(1);
    it.next();
    expect(it.next()).toEqual({ done: true, value: "liftoff" });
    const seen: number[] = [];
    for await (const i of api.countdown.aio(2)) seen.push(i);
    expect(seen).toEqual([2, 1]);
  });

  it("an object with [Symbol.asyncIterator], blocking and async", async () => {
    expect([...api.iterableObject(3)]).toEqual([0, 10, 20]);
    const seen: number[] = [];
    for await (const i of await api.iterableObject.aio(2)) seen.push(i);
    expect(seen).toEqual([0, 10]);
  });

  it("a ReadableStream", async () => {
    expect([...api.stream(["a", "b"])]).toEqual(["a", "b"]);
    const seen: string[] = [];
    for await (const item of await api.stream.aio(["c"])) seen.push(item);
    expect(seen).toEqual(["c"]);
  });

  it("an iterator nested in a result", () => {
    const result = api.nestedIterator();
    expect(result.label).toBe("rows");
    expect([...result.rows]).toEqual([0, 1, 2]);
  });

  it("a yielded value that cannot be cloned: a DataCloneError, and the next call works", () => {
    const it = api.yieldsSymbol();
    expect(it.next().value).toBe(1);
    expect(() => it.next()).toThrow(DataCloneError);
    expect([...api.countdown(2)]).toEqual([2, 1]);
  });
});

describe("read-ahead", () => {
  it("produces the same items, faster than lockstep", async () => {
    api.numbers(1).next();
    const lockstep = await timed(() => [...api.numbers(3000)]);
    const bulk = await timed(() => [...api.numbers.with({ readAhead: 256 })(3000)]);
    expect(bulk.value).toEqual(lockstep.value);
    expect(bulk.value).toHaveLength(3000);
    expect(bulk.ms).toBeLessThan(lockstep.ms / 2);
    const asyncBulk: number[] = [];
    for await (const i of api.numbers.with({ readAhead: 64 }).aio(500)) asyncBulk.push(i);
    expect(asyncBulk).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it("lets the producer run ahead of the consumer, by at most readAhead items, thrown away on an early stop", async () => {
    const it = api.ticks.with({ readAhead: 4 })(100, 5);
    expect(it.next().value).toBe(0);
    // While the consumer holds item 0, the worker keeps producing: items 1 to 4, and no more.
    const log: string[] = [];
    const produced = () => log.filter((e) => e.startsWith("producer")).length;
    await waitFor(() => {
      log.push(...api.takeLog());
      return produced() >= 5;
    }, "the producer to run 4 items ahead");
    await sleep(150); // 30 items' worth of time: an unbounded pump would go on producing
    log.push(...api.takeLog());
    expect(log).toEqual(["started", ...[0, 1, 2, 3, 4].map((i) => `producer ${i}`)]);
    // Stopping early: the 4 items produced ahead never reach the consumer, and cleanup runs.
    expect(it.return("stopped")).toEqual({ done: true, value: "stopped" });
    expect(it.next()).toEqual({ done: true, value: undefined });
    expect(api.takeLog()).toEqual(["cleanup"]);
  });

  it("read-ahead of 64: the producer is never more than 64 items ahead of the consumer, batches kept by the caller included", async () => {
    const it = api.ticks.with({ readAhead: 64 })(1000, 0);
    const log: string[] = [];
    const produced = () => {
      log.push(...api.takeLog());
      return log.filter((e) => e.startsWith("producer")).length;
    };
    expect(it.next().value).toBe(0);
    await waitFor(() => produced() >= 65, "the read-ahead to fill");
    for (let i = 1; i < 200; i++) {
      expect(it.next().value).toBe(i);
      // Step 1 receives the 64 items ready as one batch, which the caller keeps: a worker that
      // did not count them would now produce 64 more.
      if (i === 1) await sleep(100);
      expect(produced(), `after item ${i}`).toBeLessThanOrEqual(i + 1 + 64);
    }
    expect(it.return("stopped")).toEqual({ done: true, value: "stopped" });
  });

  it("refuses next(value) with read-ahead, and bad options", () => {
    const it = api.conversation.with({ readAhead: 2 })();
    it.next();
    expect(() => it.next("x")).toThrow(/cannot send a value to a generator iterated with read-ahead/);
    expect(() => api.numbers.with({ readAhead: -1 })).toThrow(/readAhead must be a non-negative integer/);
    expect(() => api.numbers.with({ readahead: 1 } as never)).toThrow(/unknown option "readahead"/);
  });

  it("refuses next(value) also while items read ahead are at hand", () => {
    // A sync generator fills the read-ahead at once: the first reply carries 4 items.
    const it = api.countdown.with({ readAhead: 4 })(10);
    expect(it.next().value).toBe(10);
    const send = it.next as (value: unknown) => IteratorResult<number>;
    expect(() => send.call(it, "x")).toThrow(/cannot send a value to a generator iterated with read-ahead/);
    expect(it.next().value).toBe(9);
    expect(it.return("stopped")).toEqual({ done: true, value: "stopped" });
  });

  it("delivers the items produced before the producer waits, without waiting for the next", () => {
    const it = api.burstThenWait.with({ readAhead: 10, timeout: 10_000 })();
    expect([it.next().value, it.next().value, it.next().value]).toEqual([1, 2, 3]);
    expect(it.return(undefined)).toEqual({ done: true, value: undefined });
  });

  it("runs cleanup when closed early", () => {
    for (const i of api.ticks.with({ readAhead: 8 })(100, 1)) {
      if (i === 2) break;
    }
    expect(api.takeLog()).toContain("cleanup");
  });
});

describe("many generators", () => {
  it("1,000 open at once, iterated interleaved", async () => {
    const before = (await synchronizer.diagnostics()).worker!.handles;
    const its = Array.from({ length: 1000 }, (_, i) => api.numbers.aio(3 + (i % 2)));
    const collected: number[][] = its.map(() => []);
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(its.map((it) => it.next()));
      results.forEach((r, i) => {
        if (!r.done) collected[i]!.push(r.value);
      });
    }
    collected.forEach((items, i) => expect(items).toEqual(i % 2 ? [0, 1, 2, 3] : [0, 1, 2]));
    const stats = await synchronizer.diagnostics();
    // All finished: nothing of theirs is left in the worker's table (GC may have freed older entries).
    expect(stats.worker!.handles).toBeLessThanOrEqual(before);
  });

  it("open generators in the worker are counted and closed", async () => {
    const its = Array.from({ length: 50 }, () => api.tracked(5));
    its.forEach((it) => it.next());
    expect(api.openCount()).toBe(50);
    its.forEach((it) => it.return(undefined));
    expect(api.openCount()).toBe(0);
  });
});

describe("futures", () => {
  it("are refused for generator functions with a clear error", () => {
    expect(() => (api.ticks as unknown as { future: (n: number) => unknown }).future(3)).toThrow(/ticks is a generator function: futures are not available/);
  });
});

describe("abandoned iterators", () => {
  it("are closed in the worker after garbage collection (run with --expose-gc)", async () => {
    const result = await runNode(script("abandoned-iterators.mjs"), [], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ openBefore: 200, openAfter: 0, handlesAfter: 0 });
  });
});

describe("an iterator whose worker side finished while items are still buffered here", () => {
  // With read-ahead, one reply can carry the last items and the end (done): the worker then forgets
  // the iterator. Leaving the loop early (return) or throwing into it must finish it here, without
  // asking the worker about an iterator it no longer has (a ReferenceLostError, found by the fuzz test).
  it("return() after a reply that carried the end: done, with the value given", async () => {
    for (const form of ["blocking", "async"] as const) {
      const seen: number[] = [];
      if (form === "blocking") {
        const it = api.countdown.with({ readAhead: 10 })(3);
        seen.push(it.next().value as number);
        expect(it.return("early" as never)).toEqual({ done: true, value: "early" });
        expect(it.next()).toEqual({ done: true, value: undefined });
      } else {
        const it = api.countdown.with({ readAhead: 10 }).aio(3);
        seen.push((await it.next()).value as number);
        expect(await it.return("early" as never)).toEqual({ done: true, value: "early" });
      }
      expect(seen, form).toEqual([3]);
    }
    const loop: number[] = [];
    for (const n of api.countdown.with({ readAhead: 10 })(3)) {
      loop.push(n);
      if (n === 2) break;
    }
    expect(loop).toEqual([3, 2]);
  });

  it("throw() after such a reply: the error thrown, and the iterator is done", () => {
    const it = api.countdown.with({ readAhead: 10 })(3);
    it.next();
    // (As from a finished iterator: the error thrown in, with this call's frames added.)
    const error = thrown(() => it.throw(new Error("stop")));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("stop");
    expect(it.next()).toEqual({ done: true, value: undefined });
  });
});
