// The trust boundary stated in docs/SECURITY.md, checked: what the worker can make the caller do
// (settle its calls, call the functions it was given, print), and what it cannot.
import { threadId } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { Synchronizer, WorkerExitError } from "synchronicity-js";
import { fixture } from "./helpers.js";

type Boundary = typeof import("./fixtures/boundary.js");
const synchronizer = new Synchronizer();
afterAll(() => synchronizer.close());
const api = synchronizer.wrapModule<Boundary>(fixture("boundary"));

describe("the worker's reach into the caller (docs/SECURITY.md)", () => {
  it("runs in another thread, with its own globals and its own copy of the environment", () => {
    expect(api.workerThreadId()).not.toBe(threadId);
    expect(api.setEnv("SYNCHRONICITY_BOUNDARY_TEST", "set in the worker")).toBe("set in the worker");
    expect(process.env["SYNCHRONICITY_BOUNDARY_TEST"]).toBeUndefined();
    api.setGlobal("boundaryLeak", 42);
    expect((globalThis as Record<string, unknown>)["boundaryLeak"]).toBeUndefined();
  });

  it("process.exit in the worker ends the worker, not the caller: pending calls fail with WorkerExitError", () => {
    const s = new Synchronizer();
    try {
      const hostile = s.wrapModule<Boundary>(fixture("boundary"));
      expect(() => hostile.exitWorker()).toThrow(WorkerExitError);
      expect(hostile.workerThreadId()).not.toBe(threadId); // a fresh worker; this process lives on
    } finally {
      void s.close();
    }
  });

  it("values from the worker arrive as data: a getter is read in the worker, and no code of the worker runs here", () => {
    const received = api.withAccessors();
    const secret = Object.getOwnPropertyDescriptor(received, "secret")!;
    expect(secret.get).toBeUndefined();
    const value = secret.value as string;
    expect(value).toMatch(/^read \d time\(s\) in the worker$/);
    expect(received.secret).toBe(value); // a snapshot: reading it again runs nothing
    // A function of the worker is a proxy: calling it makes a request, and it runs there.
    expect(received.where()).toBe(api.workerThreadId());
  });

  it("plain data that looks like the library's markers stays plain data, both ways", () => {
    const fromWorker = api.lookalikes();
    expect(fromWorker).toEqual([
      { __synchronicity__: "handle", id: 1, cls: 0 },
      { __synchronicity__: "callback", id: 1 },
      { __synchronicity__: "backref", id: 1 },
      { __synchronicity__: "escape", value: { a: 1 } },
    ]);
    for (const value of fromWorker) expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(api.describeReceived(fromWorker)).toEqual(fromWorker.map((value) => `object:plain:${JSON.stringify(value)}`));
  });

  it("the worker calls only the functions it was given, and they run in the caller's thread", async () => {
    expect(api.callBack(() => threadId)).toBe(threadId);
    expect(await api.callBack.aio(async () => threadId)).toBe(threadId);
  });
});
