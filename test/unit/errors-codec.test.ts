// More unit tests of error encoding (src/protocol/errors.ts), written against the mutants that
// survived errors.test.ts (docs/TESTING.md, "Surviving mutants"): structural fields that are own
// enumerable properties, the exact shape of markers, property descriptors of decoded errors and of
// copies, and copies of errors with odd prototypes.
import { types } from "node:util";
import { describe, expect, it } from "vitest";
import { MARK, type ErrorMarker } from "../../src/protocol/markers.js";
import { decodeError, encodeError, withCopyableFields } from "../../src/protocol/errors.js";

const identity = (v: unknown) => v;
const encode = (error: Error) => encodeError(error, { classIdOf: () => undefined }, identity, () => {});
const decode = (marker: ErrorMarker) => decodeError(marker, { classById: () => undefined }, identity, () => {});

const dataDescriptor = (value: unknown, enumerable: boolean) => ({ value, writable: true, enumerable, configurable: true });

describe("encodeError", () => {
  it("structural fields set as own enumerable properties are recorded as such, never again among the fields", () => {
    const inner = new Error("inner");
    const error = Object.assign(new Error(), { message: "assigned", stack: "Error: assigned\n    at x", cause: inner, errors: [1], name: "Named", code: 7 });
    const marker = encode(error);
    expect(marker).toStrictEqual({
      [MARK]: "error",
      builtin: "Error",
      name: "Named",
      message: "assigned",
      stack: "Error: assigned\n    at x",
      hasCause: true,
      cause: inner,
      props: { code: 7 },
    });
  });

  it("an own enumerable stack is the stack, not a field", () => {
    const error = new Error("m");
    Object.defineProperty(error, "stack", { value: "Error: m\n    at z", enumerable: true, writable: true, configurable: true });
    const marker = encode(error);
    expect(marker.stack).toBe("Error: m\n    at z");
    expect(marker).not.toHaveProperty("props");
  });

  it("an error of no known class carries no class id and no library name (not even as undefined keys)", () => {
    const marker = encode(new RangeError("r"));
    expect(Object.keys(marker).sort()).toEqual([MARK, "builtin", "message", "name", "stack"].sort());
  });
});

describe("decodeError: property descriptors", () => {
  it("name, stack, cause and errors are own, writable, configurable and not enumerable; fields are enumerable", () => {
    const error = decode({
      [MARK]: "error",
      builtin: "AggregateError",
      name: "Renamed",
      message: "m",
      stack: "Renamed: m\n    at y",
      hasCause: true,
      cause: "c",
      errors: ["e"],
      props: { code: "E" },
    }) as AggregateError;
    expect(Object.getOwnPropertyDescriptor(error, "name")).toEqual(dataDescriptor("Renamed", false));
    expect(Object.getOwnPropertyDescriptor(error, "stack")).toEqual(dataDescriptor("Renamed: m\n    at y", false));
    expect(Object.getOwnPropertyDescriptor(error, "cause")).toEqual(dataDescriptor("c", false));
    expect(Object.getOwnPropertyDescriptor(error, "errors")).toEqual(dataDescriptor(["e"], false));
    expect(Object.getOwnPropertyDescriptor(error, "code")).toEqual(dataDescriptor("E", true));
  });

  it("an AggregateError marker without errors decodes with an empty errors list", () => {
    const error = decode({ [MARK]: "error", builtin: "AggregateError", name: "AggregateError", message: "none" }) as AggregateError;
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.errors).toEqual([]);
    expect(error.message).toBe("none");
  });
});

describe("withCopyableFields", () => {
  it("copies an own non-enumerable name, and AggregateError's errors", () => {
    const error = new AggregateError([new Error("a"), "b"], "many");
    Object.defineProperty(error, "name", { value: "Bunch", writable: true, enumerable: false, configurable: true });
    const copy = withCopyableFields(error) as AggregateError;
    expect(copy).toBeInstanceOf(AggregateError);
    expect(Object.getOwnPropertyDescriptor(copy, "name")).toEqual(dataDescriptor("Bunch", false));
    expect(copy.errors).toHaveLength(2);
    expect((copy.errors[0] as Error).message).toBe("a");
    expect(copy.errors[1]).toBe("b");
  });

  it("gives the copy only the structural fields the error has of its own", () => {
    const copy = withCopyableFields(new Error("plain"));
    expect(Object.getOwnPropertyNames(copy).sort()).toEqual(["message", "stack"]);
    expect(Object.getOwnPropertyDescriptor(copy, "message")).toEqual(dataDescriptor("plain", false));
  });

  it("its other fields are own, writable, configurable and enumerable", () => {
    const copy = withCopyableFields(Object.assign(new Error("f"), { fn: () => 1, n: 2 }));
    expect(Object.getOwnPropertyDescriptor(copy, "fn")).toEqual(dataDescriptor("[not copyable: a function]", true));
    expect(Object.getOwnPropertyDescriptor(copy, "n")).toEqual(dataDescriptor(2, true));
  });

  it("the copy of an error is a native error (built by the built-in constructor), of the same built-in", () => {
    for (const error of [new TypeError("t"), new RangeError("r"), new Error("e"), new AggregateError([], "a")]) {
      const copy = withCopyableFields(Object.assign(error, { fn: () => 1 }));
      expect(types.isNativeError(copy)).toBe(true);
      expect(Object.getPrototypeOf(copy)).toBe(Object.getPrototypeOf(error));
    }
  });

  it("copies a DOMException, keeping its class, name and message", () => {
    const error = Object.assign(new DOMException("stopped", "AbortError"), { token: Symbol("t") });
    const copy = withCopyableFields(error) as DOMException & { token: unknown };
    expect(copy).toBeInstanceOf(DOMException);
    expect([copy.name, copy.message, copy.code]).toEqual(["AbortError", "stopped", 20]);
    expect(copy.stack).toBe(error.stack);
    expect(copy.token).toBe("[not copyable: a Symbol]");
    expect(() => structuredClone(copy)).not.toThrow();
  });

  it("copies an error whose prototype is null, or whose prototype's constructor is not a constructor", () => {
    const orphan = Object.setPrototypeOf(Object.assign(new Error("orphan"), { fn: () => 1 }), null) as Error;
    const copy = withCopyableFields(orphan);
    expect(Object.getPrototypeOf(copy)).toBeNull();
    expect((copy as unknown as Record<string, unknown>)["fn"]).toBe("[not copyable: a function]");
    expect(Object.getOwnPropertyDescriptor(copy, "message")?.value).toBe("orphan");

    const proto = Object.create(Error.prototype, { constructor: { value: () => 1 } }) as object;
    const odd = Object.setPrototypeOf(new Error("odd"), proto) as Error;
    const oddCopy = withCopyableFields(odd);
    expect(Object.getPrototypeOf(oddCopy)).toBe(proto);
    expect(oddCopy.message).toBe("odd");
  });
});
