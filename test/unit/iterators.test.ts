// Unit tests of the caller's iterator step logic (src/caller/remote/iterators.ts), without a worker: a
// scripted connection answers each request with a StepReply (or an error) and records what was
// asked, so every request, every reply's effect and every ending can be checked exactly.
import { describe, expect, it } from "vitest";
import { ClosedError, ReferenceLostError, TimeoutError, WorkerExitError } from "../../src/errors.js";
import type { RequestOp, StepReply } from "../../src/protocol/messages.js";
import type { CallControl, Connection } from "../../src/caller/wire/connection.js";
import { AsyncRemoteGenerator, iterationOf, iteratorIdToSend, RemoteGenerator } from "../../src/caller/remote/iterators.js";
import { IterationState, type IterationOptions, type LazyStart } from "../../src/caller/remote/iteration-state.js";

type Answer = StepReply | { readonly fail: unknown };

/** A connection that answers from a script and records every request (blocking or async). */
class FakeConnection {
  readonly requests: Array<{ op: RequestOp; control: CallControl; form: "sync" | "async" }> = [];
  readonly adopted: Array<[number, object]> = [];
  readonly forgotten: number[] = [];
  exited: Error | undefined;
  readonly refs = {
    adoptObject: (id: number, local: object) => void this.adopted.push([id, local]),
    forget: (id: number) => void this.forgotten.push(id),
  };
  constructor(readonly answers: Answer[] = []) {}

  private answer(op: RequestOp, control: CallControl, form: "sync" | "async"): StepReply {
    this.requests.push({ op, control, form });
    const next = this.answers.shift();
    if (next === undefined) throw new Error(`unexpected request ${JSON.stringify(op)}`);
    if ("fail" in next) throw next.fail;
    return next;
  }

  requestSync(op: RequestOp, control: CallControl): unknown {
    return this.answer(op, control, "sync");
  }

  requestAsync(op: RequestOp, control: CallControl): Promise<unknown> {
    try {
      return Promise.resolve(this.answer(op, control, "async"));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  get ops(): RequestOp[] {
    return this.requests.map((r) => r.op);
  }
}

const target = { module: 1, path: ["gen"] } as unknown as LazyStart["target"];

/** A lazily started iteration on `connection`, with `connects` counting the connects. */
function lazy(connection: FakeConnection, options: Partial<IterationOptions> = {}, args: unknown[] = ["a"]) {
  const connects: number[] = [];
  const state = new IterationState({ readAhead: 0, closeTimeoutMs: 1234, ...options }, {
    target,
    args,
    connect: () => {
      connects.push(1);
      return connection as unknown as Connection;
    },
  });
  return { state, connects };
}

/** An iteration already started in the worker as iterator `id` (a decoded iterator marker). */
function started(connection: FakeConnection, id = 7, options: Partial<IterationOptions> = {}) {
  return new IterationState({ readAhead: 0, closeTimeoutMs: 1234, ...options }, undefined, connection as unknown as Connection, id);
}

const items = (...values: unknown[]): StepReply => ({ values });
const returned = (value: unknown, ...values: unknown[]): StepReply => ({ values, done: true, returned: value });
const threw = (error: unknown, ...values: unknown[]): StepReply => ({ values, threw: true, error });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("did not reject");
    },
    (error: unknown) => error,
  );
}

describe("a lazily started generator", () => {
  it("connects and starts at the first next(), not before; the start request carries target and args, and no readAhead when it is 0", () => {
    const connection = new FakeConnection([{ iterator: 9, values: [1] }]);
    const control = { timeoutMs: 50 };
    const { state, connects } = lazy(connection, { control }, ["x", 2]);
    const gen = new RemoteGenerator(state);
    expect(connects).toEqual([]);
    expect(connection.requests).toEqual([]);
    expect(gen.next()).toEqual({ done: false, value: 1 });
    expect(connects).toEqual([1]);
    expect(connection.requests).toEqual([{ op: { op: "start", target, args: ["x", 2] }, control, form: "sync" }]);
    expect(state.id).toBe(9);
    expect(state.connection).toBe(connection);
    expect(connection.adopted).toEqual([[9, state]]);
  });

  it("the start request carries readAhead when it is over 0, and an empty control when none is set", () => {
    const connection = new FakeConnection([{ iterator: 3, values: [1, 2, 3] }]);
    const { state } = lazy(connection, { readAhead: 2 });
    expect(new RemoteGenerator(state).next()).toEqual({ done: false, value: 1 });
    expect(connection.requests).toEqual([{ op: { op: "start", target, args: ["a"], readAhead: 2 }, control: {}, form: "sync" }]);
    expect(state.buffer).toEqual([2, 3]);
  });

  it("return() before any next() completes it without a request: later steps are done and make none", () => {
    const connection = new FakeConnection();
    const { state, connects } = lazy(connection);
    const gen = new RemoteGenerator(state);
    expect(gen.return("r")).toEqual({ done: true, value: "r" });
    expect(state.done).toBe(true);
    expect(gen.next()).toEqual({ done: true, value: undefined });
    expect(gen.return("again")).toEqual({ done: true, value: "again" });
    expect(connects).toEqual([]);
    expect(connection.requests).toEqual([]);
  });

  it("throw() before any next() throws the value at once and completes it, without a request", () => {
    const connection = new FakeConnection();
    const { state, connects } = lazy(connection);
    const gen = new RemoteGenerator(state);
    const error = new Error("into it");
    expect(thrown(() => gen.throw(error))).toBe(error);
    expect(state.done).toBe(true);
    expect(gen.next()).toEqual({ done: true, value: undefined });
    expect(connects).toEqual([]);
    expect(connection.requests).toEqual([]);
  });

  it("a start that ends at once (no items) returns done with the returned value and forgets the id", () => {
    const connection = new FakeConnection([{ iterator: 4, values: [], done: true, returned: "end" }]);
    const { state } = lazy(connection);
    expect(new RemoteGenerator(state).next()).toEqual({ done: true, value: "end" });
    expect(connection.adopted).toEqual([[4, state]]);
    expect(connection.forgotten).toEqual([4]);
  });
});

describe("steps on a started iterator", () => {
  it("next(value) sends an iter request with the value, the iteration's control, and no readAhead in lockstep", () => {
    const connection = new FakeConnection([items("one"), items("two")]);
    const control = { timeoutMs: 99 };
    const gen = new RemoteGenerator(started(connection, 7, { control }));
    expect(gen.next()).toEqual({ done: false, value: "one" });
    expect(gen.next("sent")).toEqual({ done: false, value: "two" });
    expect(connection.requests).toEqual([
      { op: { op: "iter", iterator: 7, how: "next", value: undefined }, control, form: "sync" },
      { op: { op: "iter", iterator: 7, how: "next", value: "sent" }, control, form: "sync" },
    ]);
  });

  it("items read ahead are served from the buffer, in order, without requests; the request carries readAhead", () => {
    const connection = new FakeConnection([items(1, 2, 3), items(4)]);
    const state = started(connection, 5, { readAhead: 3 });
    const gen = new RemoteGenerator(state);
    expect([gen.next(), gen.next(), gen.next()]).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: false, value: 3 },
    ]);
    expect(connection.ops).toEqual([{ op: "iter", iterator: 5, how: "next", value: undefined, readAhead: 3 }]);
    expect(gen.next()).toEqual({ done: false, value: 4 });
    expect(connection.ops).toHaveLength(2);
  });

  it("with read-ahead, next(value) is refused with a TypeError before any request; next(undefined) is not", () => {
    const connection = new FakeConnection([items(1)]);
    const gen = new RemoteGenerator(started(connection, 5, { readAhead: 1 }));
    const error = thrown(() => gen.next("v"));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("next(value) cannot send a value to a generator iterated with read-ahead; use readAhead: 0 to send values");
    expect(connection.requests).toEqual([]);
    expect(gen.next(undefined)).toEqual({ done: false, value: 1 });
  });

  it("items that arrive with the ending are given first; then the returned value, once; then done with undefined", () => {
    const connection = new FakeConnection([returned("last", 1, 2)]);
    const state = started(connection, 6);
    const gen = new RemoteGenerator(state);
    expect(gen.next()).toEqual({ done: false, value: 1 });
    expect(connection.forgotten).toEqual([]);
    expect(gen.next()).toEqual({ done: false, value: 2 });
    expect(gen.next()).toEqual({ done: true, value: "last" });
    expect(state.done).toBe(true);
    expect(state.ending).toBeUndefined();
    expect(connection.forgotten).toEqual([6]);
    expect(gen.next()).toEqual({ done: true, value: undefined });
    expect(connection.requests).toHaveLength(1);
    expect(connection.forgotten).toEqual([6]);
  });

  it("an error the generator threw comes after the items before it, once; then the iterator is done", () => {
    const failure = new RangeError("in the generator");
    const connection = new FakeConnection([threw(failure, "a")]);
    const state = started(connection, 8);
    const gen = new RemoteGenerator(state);
    expect(gen.next()).toEqual({ done: false, value: "a" });
    expect(thrown(() => gen.next())).toBe(failure);
    expect(connection.forgotten).toEqual([8]);
    expect(gen.next()).toEqual({ done: true, value: undefined });
    expect(connection.requests).toHaveLength(1);
  });

  it("a reply that both threw and says done is a throw", () => {
    const failure = new Error("both");
    const connection = new FakeConnection([{ values: [], threw: true, error: failure, done: true, returned: "no" }]);
    expect(thrown(() => new RemoteGenerator(started(connection)).next())).toBe(failure);
  });

  it("a reply with items and not done leaves no ending: the next step asks the worker again", () => {
    const connection = new FakeConnection([items("x"), returned("r")]);
    const state = started(connection);
    const gen = new RemoteGenerator(state);
    expect(gen.next()).toEqual({ done: false, value: "x" });
    expect(state.ending).toBeUndefined();
    expect(state.done).toBe(false);
    expect(gen.next()).toEqual({ done: true, value: "r" });
  });

  it("return(value) discards the items read ahead, asks with closeTimeoutMs as its only control, and gives the worker's answer", () => {
    const connection = new FakeConnection([items(1, 2, 3), returned("closed")]);
    const state = started(connection, 5, { readAhead: 3, control: { timeoutMs: 10 } });
    const gen = new RemoteGenerator(state);
    expect(gen.next()).toEqual({ done: false, value: 1 });
    expect(gen.return("v")).toEqual({ done: true, value: "closed" });
    expect(state.buffer).toEqual([]);
    expect(connection.requests[1]).toEqual({ op: { op: "iter", iterator: 5, how: "return", value: "v", readAhead: 3 }, control: { timeoutMs: 1234 }, form: "sync" });
    expect(gen.next()).toEqual({ done: true, value: undefined });
    expect(gen.return("later")).toEqual({ done: true, value: "later" });
    expect(connection.requests).toHaveLength(2);
  });

  it("return(value) while the worker's ending waits behind items read ahead: completes here with the value (not the pending ending), without a request", () => {
    const connection = new FakeConnection([returned("liftoff", 3, 2)]);
    const state = started(connection, 5, { readAhead: 10 });
    const gen = new RemoteGenerator(state);
    expect(gen.next()).toEqual({ done: false, value: 3 });
    expect(gen.return("mine")).toEqual({ done: true, value: "mine" });
    expect(connection.requests).toHaveLength(1);
    expect(connection.forgotten).toEqual([5]);
    expect(gen.next()).toEqual({ done: true, value: undefined });
  });

  it("next(value) after the end gives done with undefined, not the value", () => {
    const connection = new FakeConnection([returned("r")]);
    const gen = new RemoteGenerator(started(connection));
    expect(gen.next()).toEqual({ done: true, value: "r" });
    expect(gen.next("sent")).toEqual({ done: true, value: undefined });
  });

  it("throw(error) discards the items read ahead and sends the error with the iteration's control", () => {
    const sent = new Error("sent in");
    const control = { timeoutMs: 10 };
    const connection = new FakeConnection([items(1, 2), items("caught")]);
    const state = started(connection, 5, { readAhead: 2, control });
    const gen = new RemoteGenerator(state);
    expect(gen.next()).toEqual({ done: false, value: 1 });
    expect(gen.throw(sent)).toEqual({ done: false, value: "caught" });
    expect(state.buffer).toEqual([]);
    expect(connection.requests[1]).toEqual({ op: { op: "iter", iterator: 5, how: "throw", value: sent, readAhead: 2 }, control, form: "sync" });
  });

  it("after the end, throw(error) throws the error without a request", () => {
    const connection = new FakeConnection([returned(undefined)]);
    const gen = new RemoteGenerator(started(connection));
    expect(gen.next()).toEqual({ done: true, value: undefined });
    const error = new Error("late");
    expect(thrown(() => gen.throw(error))).toBe(error);
    expect(connection.requests).toHaveLength(1);
  });

  it("a return() that times out gives up on the cleanup: done with the value, and nothing more is asked", () => {
    const connection = new FakeConnection([{ fail: new TimeoutError("slow cleanup") }]);
    const state = started(connection);
    const gen = new RemoteGenerator(state);
    expect(gen.return("mine")).toEqual({ done: true, value: "mine" });
    expect(state.done).toBe(true);
    expect(gen.next()).toEqual({ done: true, value: undefined });
    expect(connection.requests).toHaveLength(1);
  });

  it("a return() that fails otherwise throws that error, and the iterator is done", () => {
    const failure = new Error("cleanup failed");
    const connection = new FakeConnection([{ fail: failure }]);
    const state = started(connection);
    const gen = new RemoteGenerator(state);
    expect(thrown(() => gen.return("mine"))).toBe(failure);
    expect(state.done).toBe(true);
    expect(gen.next()).toEqual({ done: true, value: undefined });
    expect(connection.requests).toHaveLength(1);
  });

  it("a next() that times out throws the TimeoutError (only closing swallows it), and the iterator is done", () => {
    const timeout = new TimeoutError("too slow");
    const connection = new FakeConnection([{ fail: timeout }]);
    const state = started(connection);
    const gen = new RemoteGenerator(state);
    expect(thrown(() => gen.next())).toBe(timeout);
    expect(state.done).toBe(true);
    expect(gen.next()).toEqual({ done: true, value: undefined });
    expect(connection.requests).toHaveLength(1);
  });

  it("a failed start throws its error and leaves the iteration unstarted", () => {
    const failure = new Error("no such export");
    const connection = new FakeConnection([{ fail: failure }]);
    const { state } = lazy(connection);
    expect(thrown(() => new RemoteGenerator(state).next())).toBe(failure);
    expect(state.id).toBeUndefined();
    expect(connection.adopted).toEqual([]);
  });
});

describe("an iterator whose worker is gone", () => {
  it("a closed synchronizer: a ClosedError saying so, without a request; then done", () => {
    const connection = new FakeConnection();
    connection.exited = new ClosedError("closed");
    const state = started(connection);
    const gen = new RemoteGenerator(state);
    const error = thrown(() => gen.next());
    expect(error).toBeInstanceOf(ClosedError);
    expect((error as Error).message).toBe("this iterator cannot be used: the synchronizer is closed");
    expect(state.done).toBe(true);
    expect(gen.next()).toEqual({ done: true, value: undefined });
    expect(connection.requests).toEqual([]);
  });

  it("a worker that stopped: a ReferenceLostError naming why, with the exit error as cause", () => {
    const connection = new FakeConnection();
    const exit = new WorkerExitError("the worker exited with code 3");
    connection.exited = exit;
    const state = started(connection);
    const error = thrown(() => new RemoteGenerator(state).return());
    expect(error).toBeInstanceOf(ReferenceLostError);
    expect((error as Error).message).toBe("this iterator was lost with its worker (the worker exited with code 3)");
    expect((error as Error).cause).toBe(exit);
    expect(state.done).toBe(true);
    expect(connection.requests).toEqual([]);
  });

  it("items already read ahead are still given after the worker is gone", () => {
    const connection = new FakeConnection([items(1, 2)]);
    const gen = new RemoteGenerator(started(connection, 1, { readAhead: 2 }));
    expect(gen.next()).toEqual({ done: false, value: 1 });
    connection.exited = new WorkerExitError("gone");
    expect(gen.next()).toEqual({ done: false, value: 2 });
    expect(thrown(() => gen.next())).toBeInstanceOf(ReferenceLostError);
  });
});

describe("the views", () => {
  it("RemoteGenerator: its own iterator, the tag, dispose closes it, and iterationOf finds its state", () => {
    const connection = new FakeConnection([returned("by dispose")]);
    const state = started(connection, 2);
    const gen = new RemoteGenerator(state);
    expect(gen[Symbol.iterator]()).toBe(gen);
    expect(Object.prototype.toString.call(gen)).toBe("[object RemoteGenerator]");
    expect(iterationOf(gen)).toBe(state);
    expect(iterationOf({})).toBeUndefined();
    gen[Symbol.dispose]();
    expect(connection.ops).toEqual([{ op: "iter", iterator: 2, how: "return", value: undefined }]);
  });

  it("RemoteGenerator works with for...of and spreading, and a break closes it", () => {
    const connection = new FakeConnection([items(1, 2, 3), returned("closed")]);
    const gen = new RemoteGenerator(started(connection, 3, { readAhead: 3 }));
    const seen: unknown[] = [];
    for (const item of gen as unknown as Iterable<unknown>) {
      seen.push(item);
      if (item === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(connection.ops.map((op) => (op as { how: string }).how)).toEqual(["next", "return"]);
    expect([...(new RemoteGenerator(started(new FakeConnection([returned(0, "a", "b")]))) as unknown as Iterable<unknown>)]).toEqual(["a", "b"]);
  });

  it("its async view drives the same worker iterator, asynchronously", async () => {
    const connection = new FakeConnection([items(1), returned("end")]);
    const state = started(connection, 4);
    const gen = new RemoteGenerator(state);
    const view = gen[Symbol.asyncIterator]();
    expect(view).toBeInstanceOf(AsyncRemoteGenerator);
    expect(iterationOf(view)).toBe(state);
    expect(gen.next()).toEqual({ done: false, value: 1 });
    await expect(view.next()).resolves.toEqual({ done: true, value: "end" });
    expect(connection.requests.map((r) => r.form)).toEqual(["sync", "async"]);
  });

  it("AsyncRemoteGenerator: next, return and throw as promises, its own async iterator, the tag, async dispose closes it", async () => {
    const sent = new Error("in");
    const connection = new FakeConnection([items("a"), items("b"), returned("r")]);
    const state = started(connection, 5);
    const gen = new AsyncRemoteGenerator(state);
    expect(gen[Symbol.asyncIterator]()).toBe(gen);
    expect(Object.prototype.toString.call(gen)).toBe("[object AsyncRemoteGenerator]");
    expect(iterationOf(gen)).toBe(state);
    await expect(gen.next("x")).resolves.toEqual({ done: false, value: "a" });
    await expect(gen.throw(sent)).resolves.toEqual({ done: false, value: "b" });
    await gen[Symbol.asyncDispose]();
    expect(connection.requests).toEqual([
      { op: { op: "iter", iterator: 5, how: "next", value: "x" }, control: {}, form: "async" },
      { op: { op: "iter", iterator: 5, how: "throw", value: sent }, control: {}, form: "async" },
      { op: { op: "iter", iterator: 5, how: "return", value: undefined }, control: { timeoutMs: 1234 }, form: "async" },
    ]);
    await expect(gen.return("after")).resolves.toEqual({ done: true, value: "after" });
    expect(connection.requests).toHaveLength(3);
  });

  it("AsyncRemoteGenerator: a lazily started one starts at the first next(), and a timed-out return() resolves done", async () => {
    const connection = new FakeConnection([{ iterator: 11, values: ["first"] }, { fail: new TimeoutError("slow") }]);
    const { state, connects } = lazy(connection, { readAhead: 1 });
    const gen = new AsyncRemoteGenerator(state);
    expect(connects).toEqual([]);
    await expect(gen.next()).resolves.toEqual({ done: false, value: "first" });
    expect(connection.adopted).toEqual([[11, state]]);
    await expect(gen.return("gave up")).resolves.toEqual({ done: true, value: "gave up" });
    expect(connection.ops).toEqual([
      { op: "start", target, args: ["a"], readAhead: 1 },
      { op: "iter", iterator: 11, how: "return", value: "gave up", readAhead: 1 },
    ]);
  });

  it("AsyncRemoteGenerator: errors reject the step, and later steps still run", async () => {
    const failure = new Error("thrown by the generator");
    const connection = new FakeConnection([{ fail: failure }]);
    const gen = new AsyncRemoteGenerator(started(connection));
    await expect(rejected(gen.next())).resolves.toBe(failure);
    await expect(gen.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("for await over an AsyncRemoteGenerator", async () => {
    const connection = new FakeConnection([items(1, 2), returned("r", 3)]);
    const seen: unknown[] = [];
    for await (const item of new AsyncRemoteGenerator(started(connection, 1, { readAhead: 2 })) as unknown as AsyncIterable<unknown>) seen.push(item);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("async steps on one iterator run one after another: the second request waits for the first reply", async () => {
    const releases: Array<() => void> = [];
    const ops: RequestOp[] = [];
    const connection = {
      exited: undefined,
      refs: { adoptObject() {}, forget() {} },
      requestAsync(op: RequestOp) {
        ops.push(op);
        const n = ops.length;
        return new Promise((resolve) => releases.push(() => resolve({ values: [n] })));
      },
    };
    const gen = new AsyncRemoteGenerator(new IterationState({ readAhead: 0, closeTimeoutMs: 1 }, undefined, connection as unknown as Connection, 1));
    const first = gen.next();
    const second = gen.next();
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await tick();
    expect(ops).toHaveLength(1);
    releases[0]!();
    await expect(first).resolves.toEqual({ done: false, value: 1 });
    await tick();
    expect(ops).toHaveLength(2);
    releases[1]!();
    await expect(second).resolves.toEqual({ done: false, value: 2 });
  });
});

describe("errors from the worker get the caller's frames", () => {
  const remote = () => {
    const error = new Error("from the worker");
    error.stack = "Error: from the worker\n    at generate (/somewhere/impl.js:3:9)";
    return error;
  };

  it("blocking: the generator's error keeps its frames and gains this file's", () => {
    const connection = new FakeConnection([threw(remote())]);
    const error = thrown(() => new RemoteGenerator(started(connection)).next()) as Error;
    const lines = error.stack!.split("\n");
    expect(lines.slice(0, 2)).toEqual(["Error: from the worker", "    at generate (/somewhere/impl.js:3:9)"]);
    expect(lines.slice(2).some((line) => line.includes("iterators.test.ts"))).toBe(true);
  });

  it("async: the same for a rejected step", async () => {
    const connection = new FakeConnection([threw(remote())]);
    const error = (await rejected(new AsyncRemoteGenerator(started(connection)).next())) as Error;
    const lines = error.stack!.split("\n");
    expect(lines.slice(0, 2)).toEqual(["Error: from the worker", "    at generate (/somewhere/impl.js:3:9)"]);
    expect(lines.slice(2).some((line) => line.includes("iterators.test.ts"))).toBe(true);
  });

  it("an error raised in this thread (not from the worker) is left as it is", () => {
    const local = new Error("local");
    const stack = local.stack;
    const connection = new FakeConnection([{ fail: local }]);
    expect(thrown(() => new RemoteGenerator(started(connection)).next())).toBe(local);
    expect(local.stack).toBe(stack);
  });
});

describe("iteratorIdToSend", () => {
  it("gives the worker-side id of a started iterator of this connection", () => {
    const connection = new FakeConnection();
    expect(iteratorIdToSend(started(connection, 12), connection as unknown as Connection)).toBe(12);
  });

  it("refuses a finished iterator, and one whose ending is waiting to be read", () => {
    const connection = new FakeConnection([returned("r", 1)]);
    const state = started(connection, 12);
    new RemoteGenerator(state).next();
    expect(state.ending).toBeDefined();
    for (const s of [state, Object.assign(started(connection, 13), { done: true })]) {
      const error = thrown(() => iteratorIdToSend(s, connection as unknown as Connection));
      expect(error).toBeInstanceOf(ReferenceLostError);
      expect((error as Error).message).toBe("this iterator has finished; it cannot be sent to the worker");
    }
  });

  it("refuses an iterator not started yet", () => {
    const connection = new FakeConnection();
    const error = thrown(() => iteratorIdToSend(lazy(connection).state, connection as unknown as Connection));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      "this iterator has not started yet, so there is no iterator in the worker to send: call next() on it first, or pass the generator function's arguments instead",
    );
  });

  it("refuses an iterator of another (stopped) worker", () => {
    const error = thrown(() => iteratorIdToSend(started(new FakeConnection()), new FakeConnection() as unknown as Connection));
    expect(error).toBeInstanceOf(ReferenceLostError);
    expect((error as Error).message).toBe("this iterator belongs to a worker that has stopped; it cannot be sent to the new one");
  });

  it("refuses an iterator holding items read ahead, saying how many", () => {
    const connection = new FakeConnection([items(1, 2, 3)]);
    const state = started(connection, 12, { readAhead: 3 });
    new RemoteGenerator(state).next();
    const error = thrown(() => iteratorIdToSend(state, connection as unknown as Connection));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      "this iterator holds 2 item(s) read ahead; the worker would skip them. Send it before reading, or iterate it without readAhead",
    );
  });
});
