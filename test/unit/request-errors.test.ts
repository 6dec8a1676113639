// Unit tests of the errors the caller builds about its own requests (src/caller/wire/request-errors.ts),
// without a worker: the timeout message, and the DataCloneError naming which argument (and where
// in it) could not be copied, for each kind of request.
import { describe, expect, it } from "vitest";
import { DataCloneError, ReferenceLostError, TimeoutError } from "../../src/errors.js";
import type { RequestOp } from "../../src/protocol/messages.js";
import type { Connection } from "../../src/caller/wire/connection.js";
import { argumentCloneFailure as cloneFailureOf, timeoutError } from "../../src/caller/wire/request-errors.js";
import { createHandleProxy, proxyInfo } from "../../src/caller/remote/proxies.js";

/** As the connection calls it: with what the caller's encoding sends by reference (remote/hooks.ts). */
const argumentCloneFailure = (op: Parameters<typeof cloneFailureOf>[0], error: unknown) =>
  cloneFailureOf(op, error, (value) => typeof value === "function" || proxyInfo(value) !== undefined);
import { MARK } from "../../src/protocol/markers.js";

const target = { module: 1, name: "f" } as unknown as Extract<RequestOp, { op: "call" }>["target"];
const call = (...args: unknown[]): RequestOp => ({ op: "call", target, args });
const construct = (...args: unknown[]): RequestOp => ({ op: "construct", target, args });
const start = (...args: unknown[]): RequestOp => ({ op: "start", target, args });
const set = (value: unknown): RequestOp => ({ op: "set", target, value }) as RequestOp;
const iter = (value: unknown): RequestOp => ({ op: "iter", iterator: 3, how: "next", value });
const cancel = (reason: unknown): RequestOp => ({ op: "cancel", call: 4, reason });

/** The error structured clone gives for `value`. */
function cloneError(value: unknown): unknown {
  try {
    structuredClone(value);
  } catch (error) {
    return error;
  }
  throw new Error("it cloned");
}

function expectCloneError(result: Error, message: string, position: string, cause: unknown): void {
  expect(result).toBeInstanceOf(DataCloneError);
  expect(result.message).toBe(message);
  expect((result as DataCloneError).position).toBe(position);
  expect(result.cause).toBe(cause);
}

/** A proxy to a worker object (a class instance), as a decoded handle marker gives it. */
function workerObjectProxy(): object {
  const connection = { classes: { shape: () => undefined, get: () => undefined } } as unknown as Connection;
  return createHandleProxy(connection, { [MARK]: "handle", id: 5, cls: 2 });
}

describe("timeoutError", () => {
  it("is a TimeoutError naming the bound", () => {
    const error = timeoutError(250);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe("the call did not finish within 250 ms; it was cancelled");
  });
});

describe("argumentCloneFailure", () => {
  it("names the argument by position, the path inside it and its type, with the clone error as cause and its message", () => {
    const bad = Symbol("s");
    const error = cloneError({ deep: { bad } });
    expectCloneError(
      argumentCloneFailure(call(1, { deep: { bad } }), error) as Error,
      "argument 2, at .deep.bad, could not be copied to the worker: it is a Symbol (s) (Symbol(s) could not be cloned.)",
      "argument 2",
      error,
    );
  });

  it("an argument that is itself uncopyable has no path", () => {
    const error = cloneError(Symbol("top"));
    expectCloneError(
      argumentCloneFailure(call(Symbol("top")), error) as Error,
      "argument 1 could not be copied to the worker: it is a Symbol (top) (Symbol(top) could not be cloned.)",
      "argument 1",
      error,
    );
  });

  it.each([
    ["construct", construct],
    ["start", start],
  ])("%s requests name their arguments the same way", (_, make) => {
    const error = new Error("nope");
    expectCloneError(
      argumentCloneFailure(make("ok", [1, Symbol("in array")]), error) as Error,
      "argument 2, at [1], could not be copied to the worker: it is a Symbol (in array) (nope)",
      "argument 2",
      error,
    );
  });

  it("a set names the value assigned, an iterator step the value sent to it", () => {
    const error = new Error("why");
    expectCloneError(
      argumentCloneFailure(set({ s: Symbol("v") }), error) as Error,
      "the value assigned, at .s, could not be copied to the worker: it is a Symbol (v) (why)",
      "the value assigned",
      error,
    );
    expectCloneError(
      argumentCloneFailure(iter(Symbol("i")), error) as Error,
      "the value sent to the iterator could not be copied to the worker: it is a Symbol (i) (why)",
      "the value sent to the iterator",
      error,
    );
  });

  it("functions and proxies to worker objects are sent by reference: they are not named as the problem", () => {
    const error = new Error("clone failed");
    const fn = () => {};
    const proxy = workerObjectProxy();
    expect(() => structuredClone(proxy)).toThrow();
    expectCloneError(
      argumentCloneFailure(call(fn, proxy, { fn, proxy, bad: Symbol("b") }), error) as Error,
      "argument 3, at .bad, could not be copied to the worker: it is a Symbol (b) (clone failed)",
      "argument 3",
      error,
    );
  });

  it("when no argument can be found to blame, it names the arguments as a whole (or the value, or the abort reason)", () => {
    const error = new Error("transfer failed");
    const cases: Array<[RequestOp, string]> = [
      [call(1, "two", { three: 3 }), "the arguments"],
      [construct(), "the arguments"],
      [set(1), "the value assigned"],
      [iter(2), "the value sent to the iterator"],
      [cancel(Symbol("reason")), "the abort reason"],
      [{ op: "get", target }, "the arguments"],
    ];
    for (const [op, position] of cases) {
      expectCloneError(argumentCloneFailure(op, error) as Error, `${position} could not be copied to the worker (transfer failed)`, position, error);
    }
  });

  it("a thrown value that is not an Error is quoted as it is", () => {
    expectCloneError(argumentCloneFailure(call(1), "plain string"), "the arguments could not be copied to the worker (plain string)", "the arguments", "plain string");
  });

  it("the library's own errors (a released proxy passed as an argument) are passed on unchanged", () => {
    const own = new ReferenceLostError("object #3 was released; it cannot be sent to the worker");
    expect(argumentCloneFailure(call(Symbol("x")), own)).toBe(own);
    const timeout = new TimeoutError("t");
    expect(argumentCloneFailure(call(1), timeout)).toBe(timeout);
  });

  it("an error that cannot even be inspected (a revoked Proxy) still gives a DataCloneError", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expectCloneError(
      argumentCloneFailure(call(1), proxy),
      "the arguments could not be copied to the worker ((a value that cannot be inspected))",
      "the arguments",
      proxy,
    );
  });

  describe("a value nested too deeply (the engine ran out of stack)", () => {
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const overflow = cloneError(deep);

    it("names the argument that is too deep, without the clone error's message", () => {
      expect(overflow).toBeInstanceOf(RangeError);
      expectCloneError(argumentCloneFailure(call(1, [2], deep), overflow) as Error, "argument 3 is nested too deeply to be copied to the worker", "argument 3", overflow);
      expectCloneError(argumentCloneFailure(start(deep, 1), overflow) as Error, "argument 1 is nested too deeply to be copied to the worker", "argument 1", overflow);
    });

    it("names the value assigned or sent", () => {
      expectCloneError(argumentCloneFailure(set(deep), overflow) as Error, "the value assigned is nested too deeply to be copied to the worker", "the value assigned", overflow);
      expectCloneError(
        argumentCloneFailure(iter(deep), overflow) as Error,
        "the value sent to the iterator is nested too deeply to be copied to the worker",
        "the value sent to the iterator",
        overflow,
      );
    });

    it("when no single argument overflows by itself, it names the first", () => {
      expectCloneError(argumentCloneFailure(call(1, 2), overflow) as Error, "argument 1 is nested too deeply to be copied to the worker", "argument 1", overflow);
    });

    it("an argument that fails to clone for another reason is not taken for the deep one", () => {
      expectCloneError(
        argumentCloneFailure(call(Symbol("not deep"), deep), overflow) as Error,
        "argument 2 is nested too deeply to be copied to the worker",
        "argument 2",
        overflow,
      );
    });
  });
});
