// Unit tests of the small protocol helpers: markers (src/protocol/markers.ts), function kinds
// (src/protocol/functions.ts) and the shared-memory layout (src/protocol/shared-state.ts).
import { describe, expect, it } from "vitest";
import { FUNCTION_HANDLE, isMarker, MARK } from "../../src/protocol/markers.js";
import { functionKind, isClass, isNative, isThenable } from "../../src/protocol/functions.js";
import { BLOCKED, createSharedState, HANDLERS, INTERRUPT, SEQ, SLOT_COUNT, STATE, wakeCaller } from "../../src/protocol/shared-state.js";

describe("isMarker", () => {
  it("a plain object with the reserved key as its own key", () => {
    expect(MARK).toBe("__synchronicity__");
    expect(FUNCTION_HANDLE).toBe(-1);
    expect(isMarker({ [MARK]: "handle" })).toBe(true);
    expect(isMarker(Object.assign(Object.create(null) as object, { [MARK]: 1 }))).toBe(true);
  });

  it.each([
    ["an array with the key", Object.assign([], { [MARK]: "error" })],
    ["a function with the key", Object.assign(() => {}, { [MARK]: "handle" })],
    ["an inherited key", Object.create({ [MARK]: "handle" }) as object],
    ["null", null],
    ["a string", MARK],
    ["a plain object without it", { other: 1 }],
  ])("not %s", (_, value) => {
    expect(isMarker(value)).toBe(false);
  });
});

describe("functionKind", () => {
  it.each([
    ["async", async () => {}],
    ["async-generator", async function* () {}],
    ["generator", function* () {}],
    ["sync", () => {}],
    ["sync", class {}],
    ["sync", Math.max],
    ["sync", undefined],
    ["sync", null],
    ["sync", Object.create(null) as object],
  ])("%s", (kind, fn) => {
    expect(functionKind(fn)).toBe(kind);
  });
});

describe("isNative", () => {
  it("built-ins and bound functions are native; user functions and non-functions are not", () => {
    expect(isNative(Math.max)).toBe(true);
    expect(isNative(function user() {}.bind(null))).toBe(true);
    expect(isNative(() => 1)).toBe(false);
    expect(isNative(function tricky() { return "{ [native code] }"; })).toBe(false);
    expect(isNative("function () { [native code] }")).toBe(false);
  });
});

describe("isClass", () => {
  function OldStyle(this: { x: number }) {
    this.x = 1;
  }
  OldStyle.prototype.method = function () {};
  function lowercase() {}
  lowercase.prototype.method = function () {};
  function NoMethods() {}

  it.each([
    ["a class", class {}, true],
    ["a class with a name", class Named {}, true],
    ["an old-style constructor with methods", OldStyle, true],
    ["a lowercase function with methods", lowercase, false],
    ["a capitalised function without methods", NoMethods, false],
    ["an arrow function", () => {}, false],
    ["an async function", async function Async() {}, false],
    ["a string", "class {}", false],
  ])("%s: %s", (_, fn, expected) => {
    expect(isClass(fn)).toBe(expected);
  });
});

describe("isThenable", () => {
  it.each([
    ["a promise", Promise.resolve(), true],
    ["an object with then", { then() {} }, true],
    ["a function with then", Object.assign(() => {}, { then() {} }), true],
    ["an object whose then is not a function", { then: 1 }, false],
    ["null", null, false],
    ["a string", "then", false],
  ])("%s: %s", (_, value, expected) => {
    expect(isThenable(value)).toBe(expected);
  });
});

describe("shared state", () => {
  it("has distinct slots inside the buffer, all starting at 0", () => {
    const slots = [SEQ, STATE, INTERRUPT, BLOCKED, HANDLERS];
    expect(new Set(slots).size).toBe(slots.length);
    expect(Math.max(...slots)).toBeLessThan(SLOT_COUNT);
    const state = createSharedState();
    expect(state.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(state.length).toBe(SLOT_COUNT);
    expect([...state]).toEqual(new Array(SLOT_COUNT).fill(0));
  });

  it("wakeCaller bumps SEQ and wakes a waiter", async () => {
    const state = createSharedState();
    wakeCaller(state);
    expect(Atomics.load(state, SEQ)).toBe(1);
    expect([...state].slice(1)).toEqual(new Array(SLOT_COUNT - 1).fill(0));
    // Atomics.waitAsync is in Node 20, not yet in the TypeScript lib this project targets.
    const { waitAsync } = Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number, timeout: number): { async: boolean; value: Promise<string> } };
    const waiting = waitAsync(state, SEQ, 1, 5_000);
    expect(waiting.async).toBe(true);
    wakeCaller(state);
    expect(await waiting.value).toBe("ok");
    expect(Atomics.load(state, SEQ)).toBe(2);
  });
});
