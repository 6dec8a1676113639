// A pool of workers (option `threads`, issue 13): spreading, affinity, the queue limit, idle
// shrink and lazy start, per-worker set-up, faults, and every call form on a pool.
// Timing bounds leave seconds of room (a shared, loaded 2-core machine): they tell overlap from
// serial execution, never measure speed.
import { afterAll, describe, expect, it } from "vitest";
import { ClosedError, DataCloneError, ModuleLoadError, QueueFullError, ReferenceLostError, release, Synchronizer, TimeoutError, WorkerExitError } from "synchronicity-js";
import { fixture, rejected, runNode, script, sleep, thrown, waitFor } from "./helpers.js";

type Impl = typeof import("./fixtures/pool.js");

const open: Synchronizer[] = [];
function pool(options: ConstructorParameters<typeof Synchronizer>[0]) {
  const synchronizer = new Synchronizer(options);
  open.push(synchronizer);
  return { synchronizer, api: synchronizer.wrapModule<Impl>(fixture("pool")) };
}
afterAll(() => Promise.all(open.map((s) => s.close())));

async function workers(synchronizer: Synchronizer): Promise<number> {
  return (await synchronizer.diagnostics()).pool?.workers ?? -1;
}

describe("options", () => {
  it.each([
    [{ threads: 0 }, "options.threads must be a whole number of threads >= 1, not 0"],
    [{ threads: 1.5 }, "options.threads must be a whole number of threads >= 1, not 1.5"],
    [{ threads: "2" }, 'options.threads must be a number of threads or an object { max, min, idleTimeoutMs, maxQueue }, not "2"'],
    [{ threads: { min: 1 } }, "options.threads.max must be a whole number of threads >= 1, not undefined"],
    [{ threads: { max: 2, min: 3 } }, "options.threads.min (3) must not be more than .max (2)"],
    [{ threads: { max: 2, idleTimeout: 5 } }, 'options.threads has an unknown field "idleTimeout" (known: max, min, idleTimeoutMs, maxQueue)'],
    [{ threads: { max: 2, idleTimeoutMs: -1 } }, "options.threads.idleTimeoutMs must be a non-negative number of milliseconds"],
    [{ threads: { max: 2, maxQueue: 0.5 } }, "options.threads.maxQueue must be a whole number >= 0 (Infinity: no limit), not 0.5"],
    [{ setup: 5 }, "options.setup must be a module path or URL (a string or a URL), not 5"],
    [{ setup: "no-such-package-anywhere" }, "options.setup: "],
  ])("%j is refused with a TypeError naming the option", (options, message) => {
    const error = thrown(() => new Synchronizer(options as never)) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain(message);
  });

  it("threads: 1 (the default) is the single worker, without a pool", async () => {
    const { synchronizer, api } = pool({ threads: 1 });
    expect(api.thread()).toBeGreaterThan(0);
    expect((await synchronizer.diagnostics()).pool).toBeUndefined();
  });
});

describe("spreading the load", () => {
  it("starts no worker before the first call, then one per busy worker up to max", async () => {
    const { synchronizer, api } = pool({ threads: 2 });
    expect(await workers(synchronizer)).toBe(0);
    api.thread(); // blocking calls come one at a time: one worker serves them
    api.thread();
    expect(await workers(synchronizer)).toBe(1);
    const threads = await Promise.all([0, 1, 2, 3].map(() => api.sleep.aio(300)));
    expect(new Set(threads).size).toBe(2);
    expect(await workers(synchronizer)).toBe(2);
  });

  it("keeps the caller's event loop free beside a CPU-bound call", async () => {
    const { api } = pool({ threads: 2 });
    api.thread(); // started and loaded
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = performance.now();
    await api.spin.aio(1000);
    const elapsed = performance.now() - started;
    clearInterval(ticker);
    // A blocked loop would tick at most once; a free one ticks about every 10 ms (a quarter of that under heavy load).
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(ticks).toBeGreaterThan(20);
  });

  it("runs two CPU-bound calls at the same time on two threads", async () => {
    const { api } = pool({ threads: 2 });
    // Both workers started first: a worker starting beside a busy one can take a second under load.
    expect(new Set(await Promise.all([api.sleep.aio(300), api.sleep.aio(300)])).size).toBe(2);
    const [a, b] = await Promise.all([api.spin.aio(1500), api.spin.aio(1500)]);
    expect(a.thread).not.toBe(b.thread);
    // Each began before the other ended: they overlapped (serially, one would start after the other's end).
    expect(a.start).toBeLessThan(b.end);
    expect(b.start).toBeLessThan(a.end);
    expect(Math.min(a.end, b.end) - Math.max(a.start, b.start)).toBeGreaterThan(500);
  });

  it("supports blocking calls, futures, callbacks, cancellation and timeouts", async () => {
    const { api } = pool({ threads: 2 });
    expect(api.spin(10).thread).toBeGreaterThan(0);
    const futures = [api.sleep.future(200), api.sleep.future(200)];
    const threads = futures.map((future) => future.result());
    expect(new Set(threads).size).toBe(2);
    expect(await api.sleep.future(1)).toBeGreaterThan(0);
    expect(api.callBack((x) => x * 2, 21)).toBe(42);
    expect(await api.callBack.aio(async (x) => x + 1, 41)).toBe(42);
    const controller = new AbortController();
    const pending = api.sleep.with({ signal: controller.signal }).aio(20_000);
    controller.abort();
    expect((await rejected(pending)) as Error).toHaveProperty("name", "AbortError");
    expect(thrown(() => api.sleep.with({ timeout: 100 })(20_000))).toBeInstanceOf(TimeoutError);
    expect(api.thread()).toBeGreaterThan(0);
  });
});

describe("affinity", () => {
  it("objects, their methods, property reads, generators and disposal stay on the worker that made them", async () => {
    const { api } = pool({ threads: 2 });
    const counters = await Promise.all(Array.from({ length: 8 }, () => api.makeCounter.aio()));
    const homes = counters.map((counter) => counter.thread);
    expect(new Set(homes).size).toBe(2);
    for (let round = 0; round < 20; round++) {
      // Interleaved with stateless calls that keep both workers busy.
      const busy = [api.sleep.aio(5), api.sleep.aio(5)];
      const seen = await Promise.all(counters.map((counter) => counter.increment.aio()));
      expect(seen).toEqual(homes);
      expect(counters.map((counter) => counter.where())).toEqual(homes);
      await Promise.all(busy);
    }
    expect(counters.map((counter) => counter.count)).toEqual(counters.map(() => 20));
    for (const [i, counter] of counters.entries()) {
      expect([...counter.ticks(5)]).toEqual([homes[i], homes[i], homes[i], homes[i], homes[i]]);
    }
    // Disposal runs in the object's worker: that worker's count goes up, the other's does not.
    const other = counters.find((counter) => counter.thread !== homes[0])!;
    const before = [api.disposedIn(counters[0]!), api.disposedIn(other)];
    counters[0]![Symbol.dispose]();
    expect(api.disposedIn(counters[0]!)).toEqual({ thread: homes[0], disposed: before[0]!.disposed + 1 });
    expect(api.disposedIn(other)).toEqual(before[1]);
  });

  it("a generator runs on one worker from start to end, while other calls spread", async () => {
    const { api } = pool({ threads: 2 });
    const iterators = [api.threadTicks.aio(30), api.threadTicks.aio(30), api.threadTicks.aio(30)];
    const runs = await Promise.all(
      iterators.map(async (iterator) => {
        const seen: number[] = [];
        for await (const thread of iterator) {
          seen.push(thread);
          void api.sleep.aio(1);
        }
        return seen;
      }),
    );
    for (const seen of runs) {
      expect(seen).toHaveLength(30);
      expect(new Set(seen).size).toBe(1);
    }
    expect(new Set(runs.map((seen) => seen[0])).size).toBe(2);
    const blocking = [...api.threadTicks(10)];
    expect(new Set(blocking).size).toBe(1);
  });

  it("a call taking an object goes to that object's worker; objects of two workers in one call fail, saying why", async () => {
    const { api } = pool({ threads: 2 });
    const counters = await Promise.all(Array.from({ length: 6 }, () => api.makeCounter.aio()));
    for (let round = 0; round < 5; round++) {
      for (const counter of counters) {
        expect(api.owns(counter)).toBe(counter.thread);
        expect(await api.owns.aio(counter)).toBe(counter.thread);
        expect(api.owns.future(counter).result()).toBe(counter.thread);
        expect(api.disposedIn({ nested: [counter] } as never).thread).toBe(counter.thread);
      }
    }
    const a = counters[0]!;
    const b = counters.find((counter) => counter.thread !== a.thread)!;
    const same = counters.find((counter) => counter !== a && counter.thread === a.thread)!;
    expect(api.pair(a, same)).toBe(2 * a.thread);
    const error = thrown(() => api.pair(a, b)) as DataCloneError;
    expect(error).toBeInstanceOf(DataCloneError);
    expect(error.message).toContain("argument 2 (Counter #");
    expect(error.message).toContain("lives in another worker of the pool than argument 1");
    expect(error.message).toContain("an object stays on the worker that created it");
    expect(((await rejected(api.pair.aio(b, a))) as Error).message).toContain("lives in another worker of the pool");
    expect(api.thread()).toBeGreaterThan(0); // nothing was sent; the pool goes on
  });
});

describe("the queue", () => {
  it("refuses a call past max + maxQueue in flight with a QueueFullError, and takes calls again once some finish", async () => {
    const { api } = pool({ threads: { max: 2, maxQueue: 1 } });
    await Promise.all([api.sleep.aio(1), api.sleep.aio(1)]); // both workers started and loaded
    const running = [api.sleep.aio(1500), api.sleep.aio(1500), api.sleep.aio(1500)];
    const refused = (await rejected(api.sleep.aio(1))) as Error;
    expect(refused).toBeInstanceOf(QueueFullError);
    expect(refused).toHaveProperty("code", "ERR_SYNCHRONICITY_QUEUE_FULL");
    expect(refused.message).toContain("the pool is full: 3 calls are in flight on at most 2 workers (threads.max) with threads.maxQueue 1");
    expect(thrown(() => api.thread())).toBeInstanceOf(QueueFullError);
    expect(thrown(() => api.sleep.future(1))).toBeInstanceOf(QueueFullError);
    await Promise.all(running);
    expect(api.thread()).toBeGreaterThan(0);
  });

  it("diagnostics() in progress takes no room in the queue", async () => {
    const { synchronizer, api } = pool({ threads: { max: 2, maxQueue: 1 } });
    await Promise.all([api.sleep.aio(1), api.sleep.aio(1)]); // both workers started and loaded
    const running = [api.sleep.aio(300), api.sleep.aio(300)];
    // diagnostics() asks each worker for its figures at once: two requests in flight, not calls.
    const report = synchronizer.diagnostics();
    running.push(api.sleep.aio(300)); // the third call of max 2 + maxQueue 1
    const { worker, pool: figures } = await report;
    expect(figures?.workers).toBe(2);
    // The pool's totals are the sums of its workers' figures.
    const [first, second] = figures!.perWorker;
    expect(worker!.heapUsed).toBe(first!.heapUsed + second!.heapUsed);
    expect(worker!.transport).toEqual({
      kind: first!.transport.kind,
      wakeMessages: first!.transport.wakeMessages + second!.transport.wakeMessages,
      portMessages: first!.transport.portMessages + second!.transport.portMessages,
    });
    await Promise.all(running);
  });
});

describe("idle workers", () => {
  it("a worker above min stops after idleTimeoutMs without work; one holding objects stays until they are released", async () => {
    const { synchronizer, api } = pool({ threads: { max: 2, min: 1, idleTimeoutMs: 1500 } });
    await Promise.all([api.sleep.aio(200), api.sleep.aio(200)]);
    expect(await workers(synchronizer)).toBe(2);
    await waitFor(async () => (await workers(synchronizer)) === 1, "the idle worker to stop", 15_000);
    expect(api.thread()).toBeGreaterThan(0);

    const counters = await Promise.all([api.makeCounter.aio(), api.makeCounter.aio()]);
    expect(new Set(counters.map((c) => c.thread)).size).toBe(2);
    await sleep(4000); // more than two idle timeouts: the worker holding an object must not stop
    expect(await workers(synchronizer)).toBe(2);
    expect(counters.map((counter) => counter.where())).toEqual(counters.map((c) => c.thread));
    for (const counter of counters) release(counter);
    await waitFor(async () => (await workers(synchronizer)) === 1, "the worker to stop once its objects are released", 15_000);
  });

  it("with min 0 every worker stops when idle, and the next call starts one again", async () => {
    const { synchronizer, api } = pool({ threads: { max: 2, min: 0, idleTimeoutMs: 100 } });
    const first = api.thread();
    await waitFor(async () => (await workers(synchronizer)) === 0, "every worker to stop", 10_000);
    const second = api.thread();
    expect(second).not.toBe(first);
    expect(await workers(synchronizer)).toBe(1);
  });
});

describe("set-up", () => {
  it("runs once in each worker, before the modules", async () => {
    const { api } = pool({ threads: 2, setup: fixture("pool-setup") });
    const infos = await Promise.all([0, 1, 2, 3].map(() => api.setupInfo.aio()));
    expect(new Set(infos.map((info) => info.thread)).size).toBe(2);
    expect(infos.map((info) => info.runs)).toEqual([1, 1, 1, 1]);
  });

  it("runs on a single worker too, and a relative path is resolved from the constructing file", () => {
    const synchronizer = new Synchronizer({ setup: "../build/fixtures/pool-setup.js" });
    open.push(synchronizer);
    const api = synchronizer.wrapModule<Impl>(fixture("pool"));
    expect(api.setupRuns()).toBe(1);
  });

  it("its error arrives like a module load failure, on every call and every worker", async () => {
    const { synchronizer, api } = pool({ threads: 2, setup: fixture("pool-setup-throws") });
    const error = thrown(() => api.thread()) as ModuleLoadError;
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect(error.message).toContain("the set-up module (option setup) failed");
    expect(error.message).toContain("set-up failed: no database file");
    expect(error.cause).toBeInstanceOf(ModuleLoadError);
    expect(((error.cause as Error).cause as Error).message).toBe("set-up failed: no database file");
    // Every later use fails the same way, blocking or not; nothing hangs.
    expect(thrown(() => api.sleep)).toBe(error);
    expect(await rejected(synchronizer.importModule(fixture("pool")))).toBeInstanceOf(ModuleLoadError);
  });
});

describe("faults", () => {
  it("one worker's death fails only its calls and objects; the other's objects work; the pool replaces it", async () => {
    const { synchronizer, api } = pool({ threads: 2 });
    const counters = await Promise.all(Array.from({ length: 4 }, () => api.makeCounter.aio()));
    const victim = counters[0]!;
    const victimThread = victim.thread;
    const survivors = counters.filter((counter) => counter.thread !== victim.thread);
    const doomed = counters.filter((counter) => counter.thread === victim.thread);
    expect(survivors.length).toBeGreaterThan(0);
    const onVictim = api.sleepIn.aio(victim, 20_000);
    const onSurvivor = api.sleepIn.aio(survivors[0]!, 300);
    void api.dieIn.aio(victim).catch(() => {});
    const lost = (await rejected(onVictim)) as WorkerExitError;
    expect(lost).toBeInstanceOf(WorkerExitError);
    expect(lost.exitCode).toBe(7);
    expect(await onSurvivor).toBe(survivors[0]!.thread);
    for (const counter of doomed) expect(thrown(() => counter.where())).toBeInstanceOf(ReferenceLostError);
    for (const counter of survivors) expect(counter.where()).toBe(counter.thread);
    // The next busy moment starts a replacement.
    const threads = await Promise.all([0, 1, 2, 3].map(() => api.sleep.aio(200)));
    expect(new Set(threads).size).toBe(2);
    expect(threads).not.toContain(victimThread);
    expect(await workers(synchronizer)).toBe(2);
  });

  it("with restart: false, a dead worker is not replaced: the pool goes on with the one left", async () => {
    const { synchronizer, api } = pool({ threads: 2, restart: false });
    const counters = await Promise.all([api.makeCounter.aio(), api.makeCounter.aio()]);
    const [victim, survivor] = counters as [(typeof counters)[0], (typeof counters)[0]];
    const survivorThread = survivor.thread;
    expect(victim.thread).not.toBe(survivorThread);
    expect(await rejected(api.dieIn.aio(victim))).toBeInstanceOf(WorkerExitError);
    const threads = await Promise.all([0, 1, 2, 3].map(() => api.sleep.aio(100)));
    expect(threads).toEqual([survivorThread, survivorThread, survivorThread, survivorThread]);
    expect(survivor.where()).toBe(survivorThread);
    expect(await workers(synchronizer)).toBe(1);
  });

  it("at the end of a script, every worker disposes the objects held there", async () => {
    const result = await runNode(script("pool-exit.mjs"), [], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("script ends");
    expect(lines.slice(1).sort()).toEqual(["disposed a", "disposed b"]);
  });

  it("close() stops every worker: their objects and later calls fail with ClosedError", async () => {
    const synchronizer = new Synchronizer({ threads: 2 });
    const api = synchronizer.wrapModule<Impl>(fixture("pool"));
    const counters = await Promise.all(Array.from({ length: 4 }, () => api.makeCounter.aio()));
    expect(new Set(counters.map((c) => c.thread)).size).toBe(2);
    const inFlight = rejected(api.sleep.aio(20_000));
    await synchronizer.close();
    expect(await inFlight).toBeInstanceOf(ClosedError);
    for (const counter of counters) expect(thrown(() => counter.where())).toBeInstanceOf(ClosedError);
    expect(thrown(() => api.thread())).toBeInstanceOf(ClosedError);
  });
});
