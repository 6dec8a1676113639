// Unit tests of faithful error encoding (src/protocol/errors.ts) and of the library's own error
// classes (src/errors.ts), without a worker.
import { describe, expect, it } from "vitest";
import { runInNewContext } from "node:vm";
import { MARK, type ErrorMarker } from "../../src/protocol/markers.js";
import { builtinErrors, builtinNameOf, decodeError, encodeError, isError, withCopyableFields } from "../../src/protocol/errors.js";
import {
  ClosedError,
  DataCloneError,
  DeadlockError,
  InterruptedError,
  QueueFullError,
  libraryErrorName,
  libraryErrors,
  ModuleLoadError,
  ReferenceLostError,
  TimeoutError,
  WorkerExitError,
} from "../../src/errors.js";

class NotFound extends RangeError {}

const lookup = { classIdOf: (error: Error) => (error instanceof NotFound ? 12 : undefined) };
const identity = (v: unknown) => v;
const encode = (error: Error) => encodeError(error, lookup, identity, () => {});
const resolver = { classById: (cls: number) => (cls === 12 ? NotFound : undefined) };
const decode = (marker: ErrorMarker) => decodeError(marker, resolver, identity, () => {});

describe("isError and builtinNameOf", () => {
  it("recognises errors, also from another realm", () => {
    expect(isError(new TypeError("t"))).toBe(true);
    expect(isError(runInNewContext("new Error('other realm')") as object)).toBe(true);
    expect(isError({ name: "Error", message: "m" })).toBe(false);
  });

  it.each(Object.keys(builtinErrors))("%s is its own built-in", (name) => {
    const Ctor = builtinErrors[name]!;
    expect(builtinNameOf(name === "AggregateError" ? new AggregateError([]) : new Ctor("m"))).toBe(name);
  });

  it("a subclass reports the built-in it descends from; DOMException and other objects too", () => {
    expect(builtinNameOf(new NotFound())).toBe("RangeError");
    expect(builtinNameOf(new (class Deeper extends NotFound {})())).toBe("RangeError");
    expect(builtinNameOf(new DOMException("m", "AbortError"))).toBe("DOMException");
    expect(builtinNameOf(Object.create(null) as object)).toBe("Error");
    expect(builtinNameOf({})).toBe("Error");
    expect(builtinNameOf(new TimeoutError("t"))).toBe("Error");
  });
});

describe("encodeError", () => {
  it("records class, name, message and stack", () => {
    const error = new TypeError("bad");
    expect(encode(error)).toEqual({ [MARK]: "error", builtin: "TypeError", name: "TypeError", message: "bad", stack: error.stack });
  });

  it("a user class the receiver knows: its class id; a library error: its name", () => {
    expect(encode(new NotFound("nf")).cls).toBe(12);
    expect(encode(new NotFound("nf")).lib).toBeUndefined();
    const timeout = encode(new TimeoutError("slow"));
    expect(timeout.lib).toBe("TimeoutError");
    expect(timeout.cls).toBeUndefined();
    expect(encode(new Error("plain")).cls).toBeUndefined();
  });

  it("a cause only when the error has one of its own, even undefined", () => {
    expect(encode(new Error("no cause"))).not.toHaveProperty("hasCause");
    expect(encode(new Error("undefined cause", { cause: undefined }))).toMatchObject({ hasCause: true, cause: undefined });
    expect(encode(new Error("cause", { cause: 42 }))).toMatchObject({ hasCause: true, cause: 42 });
  });

  it("AggregateError's errors, encoded", () => {
    const inner = new Error("inner");
    const marker = encodeError(new AggregateError([inner, 1], "many"), lookup, (v) => (v === inner ? "encoded inner" : v), () => {});
    expect(marker.errors).toEqual(["encoded inner", 1]);
    expect(encode(Object.assign(new Error("not aggregate"), { errors: [1] })).errors).toBeUndefined();
  });

  it("own enumerable fields but the structural ones; a getter that throws is left out", () => {
    const error = Object.assign(new Error("fields"), { code: "E_CODE", errno: 5, name: "Custom" });
    Object.defineProperty(error, "broken", { enumerable: true, get: () => { throw new Error("no"); } });
    Object.defineProperty(error, "hidden", { enumerable: false, value: 1 });
    const marker = encode(error);
    expect(marker.props).toEqual({ code: "E_CODE", errno: 5 });
    expect(marker.name).toBe("Custom");
    expect(encode(new Error("none"))).not.toHaveProperty("props");
  });

  it("a __proto__ field stays an own field", () => {
    const error = new Error("e");
    Object.defineProperty(error, "__proto__", { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
    const props = encode(error).props!;
    expect(Object.keys(props)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
  });

  it("name, message and stack that cannot be read, or are not strings, have fallbacks", () => {
    const unreadable = new Error("m");
    Object.defineProperty(unreadable, "stack", { get: () => { throw new Error("no stack"); } });
    Object.defineProperty(unreadable, "name", { get: () => { throw new Error("no name"); } });
    const marker = encode(unreadable);
    expect(marker.name).toBe("Error");
    expect(marker).not.toHaveProperty("stack");
    const odd = new Error("m");
    Object.defineProperty(odd, "message", { value: 42 });
    Object.defineProperty(odd, "stack", { value: undefined });
    expect(encode(odd).message).toBe("42");
    expect(encode(odd)).not.toHaveProperty("stack");
    const noMessage = new Error();
    Object.defineProperty(noMessage, "message", { value: undefined });
    expect(encode(noMessage).message).toBe("");
  });

  it("remembers the marker before encoding the cause (an error that is its own cause)", () => {
    const error = new Error("self");
    (error as { cause?: unknown }).cause = error;
    const memo = new Map<unknown, unknown>();
    const recurse = (v: unknown): unknown => (memo.has(v) ? memo.get(v) : v instanceof Error ? encodeError(v, lookup, recurse, (m) => memo.set(v, m)) : v);
    const marker = recurse(error) as ErrorMarker;
    expect(marker.cause).toBe(marker);
  });
});

describe("decodeError", () => {
  it("re-creates class, name, message (not enumerable), stack, cause, errors and fields", () => {
    const marker: ErrorMarker = {
      [MARK]: "error",
      builtin: "AggregateError",
      name: "AggregateError",
      message: "many",
      stack: "AggregateError: many\n    at somewhere",
      hasCause: true,
      cause: "why",
      errors: [1, 2],
      props: { code: "E_X" },
    };
    const error = decode(marker) as AggregateError & { code: string };
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.message).toBe("many");
    expect(error.name).toBe("AggregateError");
    expect(Object.prototype.hasOwnProperty.call(error, "name")).toBe(false);
    expect(error.stack).toBe("AggregateError: many\n    at somewhere");
    expect(error.cause).toBe("why");
    expect(error.errors).toEqual([1, 2]);
    expect(error.code).toBe("E_X");
    expect(Object.keys(error)).toEqual(["code"]);
  });

  it("prefers the user class, then the library class, then the built-in, then Error", () => {
    expect(decode({ [MARK]: "error", builtin: "RangeError", cls: 12, lib: "TimeoutError", name: "NotFound", message: "" })).toBeInstanceOf(NotFound);
    expect(decode({ [MARK]: "error", builtin: "RangeError", cls: 99, lib: "TimeoutError", name: "TimeoutError", message: "" })).toBeInstanceOf(TimeoutError);
    const builtin = decode({ [MARK]: "error", builtin: "RangeError", cls: 99, name: "RangeError", message: "" });
    expect(builtin.constructor).toBe(RangeError);
    expect(decode({ [MARK]: "error", builtin: "Mystery", name: "Mystery", message: "" }).constructor).toBe(Error);
  });

  it("an own name only where it differs from the class's; a default stack", () => {
    const renamed = decode({ [MARK]: "error", builtin: "TypeError", name: "Custom", message: "m" });
    expect(renamed.name).toBe("Custom");
    expect(Object.getOwnPropertyDescriptor(renamed, "name")?.enumerable).toBe(false);
    expect(renamed.stack).toBe("Custom: m");
    expect(decode({ [MARK]: "error", builtin: "Error", name: "Error", message: "m" })).not.toHaveProperty("cause");
  });

  it("a DOMException keeps its name and message", () => {
    const error = decode({ [MARK]: "error", builtin: "DOMException", name: "AbortError", message: "stopped" });
    expect(error).toBeInstanceOf(DOMException);
    expect([error.name, error.message, (error as DOMException).code]).toEqual(["AbortError", "stopped", 20]);
  });

  it("remembers the error before decoding its cause (cycles)", () => {
    const marker: Record<string, unknown> = { [MARK]: "error", builtin: "Error", name: "Error", message: "self", hasCause: true };
    marker["cause"] = marker;
    const memo = new Map<unknown, unknown>();
    const recurse = (v: unknown): unknown =>
      memo.has(v) ? memo.get(v) : v === marker ? decodeError(v as unknown as ErrorMarker, resolver, recurse, (e) => memo.set(v, e)) : v;
    const error = recurse(marker) as Error;
    expect(error.cause).toBe(error);
  });

  it("round trip through structured clone keeps what structured clone alone drops", () => {
    const error = Object.assign(new NotFound("gone", { cause: new Error("inner") }), { code: "E_GONE" });
    const memo = new Map<unknown, unknown>();
    const enc = (v: unknown): unknown => (v instanceof Error ? encodeError(v, lookup, enc, () => {}) : v);
    const dec = (v: unknown): unknown => (typeof v === "object" && v !== null && MARK in v ? decodeError(v as ErrorMarker, resolver, dec, (e) => memo.set(v, e)) : v);
    const back = dec(structuredClone(enc(error))) as NotFound & { code: string };
    expect(back).toBeInstanceOf(NotFound);
    expect(back.code).toBe("E_GONE");
    expect((back.cause as Error).message).toBe("inner");
  });
});

describe("withCopyableFields", () => {
  it("describes fields structured clone refuses, keeps the others, the class and the message", () => {
    const error = Object.assign(new NotFound("bad fields"), { code: "E", token: Symbol("t"), fn: () => 1, weak: new WeakMap(), nested: new Error("n") });
    const copy = withCopyableFields(error) as NotFound & Record<string, unknown>;
    expect(copy).toBeInstanceOf(NotFound);
    expect(copy).not.toBe(error);
    expect(copy.message).toBe("bad fields");
    expect(copy.stack).toBe(error.stack);
    expect(copy["code"]).toBe("E");
    expect(copy["token"]).toBe("[not copyable: a Symbol]");
    expect(copy["fn"]).toBe("[not copyable: a function]");
    expect(copy["weak"]).toBe("[not copyable: WeakMap]");
    expect(copy["nested"]).toBeInstanceOf(Error);
    expect(Object.keys(copy)).toEqual(["code", "token", "fn", "weak", "nested"]);
    expect(Object.getOwnPropertyDescriptor(copy, "message")?.enumerable).toBe(false);
    expect(() => structuredClone(copy)).not.toThrow();
  });

  it("makes a cause with bad fields copyable too, and keeps an own name", () => {
    const cause = Object.assign(new Error("inner"), { token: Symbol("t") });
    const error = new Error("outer", { cause });
    error.name = "Renamed";
    const copy = withCopyableFields(error);
    expect((copy.cause as Record<string, unknown>)["token"]).toBe("[not copyable: a Symbol]");
    expect(copy.name).toBe("Renamed");
    expect(error.cause).toBe(cause);
  });
});

describe("the library's error classes", () => {
  const made: Array<[string, Error, string]> = [
    ["DataCloneError", new DataCloneError("m", { position: "argument 1" }), "ERR_SYNCHRONICITY_DATA_CLONE"],
    ["TimeoutError", new TimeoutError("m"), "ERR_SYNCHRONICITY_TIMEOUT"],
    ["WorkerExitError", new WorkerExitError("m", { exitCode: 3 }), "ERR_SYNCHRONICITY_WORKER_EXIT"],
    ["ClosedError", new ClosedError("m"), "ERR_SYNCHRONICITY_CLOSED"],
    ["DeadlockError", new DeadlockError("m"), "ERR_SYNCHRONICITY_DEADLOCK"],
    ["ModuleLoadError", new ModuleLoadError("m", { specifier: "x.js" }), "ERR_SYNCHRONICITY_MODULE_LOAD"],
    ["ReferenceLostError", new ReferenceLostError("m"), "ERR_SYNCHRONICITY_REFERENCE"],
    ["InterruptedError", new InterruptedError("m"), "ERR_SYNCHRONICITY_INTERRUPTED"],
    ["QueueFullError", new QueueFullError("m"), "ERR_SYNCHRONICITY_QUEUE_FULL"],
  ];

  it.each(made)("%s has its name and code, on the prototype (not own fields)", (name, error, code) => {
    expect(error.name).toBe(name);
    expect((error as { code?: string }).code).toBe(code);
    expect(Object.keys(error).filter((k) => k === "name" || k === "code")).toEqual([]);
    expect(libraryErrorName(error)).toBe(name);
    expect(libraryErrors[name]).toBe(error.constructor);
  });

  it("every class is listed", () => {
    expect(Object.keys(libraryErrors).sort()).toEqual(made.map(([name]) => name).sort());
  });

  it("their extra fields, and only when given", () => {
    expect((made[0]![1] as DataCloneError).position).toBe("argument 1");
    expect(made[0]![1]).toBeInstanceOf(TypeError);
    expect(new DataCloneError("m").position).toBeUndefined();
    expect((made[2]![1] as WorkerExitError).exitCode).toBe(3);
    expect(new WorkerExitError("m").exitCode).toBeUndefined();
    expect((made[5]![1] as ModuleLoadError).specifier).toBe("x.js");
    expect(new ModuleLoadError("m").specifier).toBeUndefined();
    expect(new ClosedError("m", { cause: 1 }).cause).toBe(1);
  });

  it("libraryErrorName is undefined for other errors, subclasses included", () => {
    expect(libraryErrorName(new Error("m"))).toBeUndefined();
    expect(libraryErrorName(new (class Mine extends TimeoutError {})("m"))).toBeUndefined();
  });
});
