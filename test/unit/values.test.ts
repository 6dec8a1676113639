// Unit tests of the value codec (src/protocol/values.ts), without a worker: the scan that decides
// whether a value needs markers, the translated copy, the restore on the other side, and the
// messages that name an uncopyable value. Fast enough to run for every mutant (docs/TESTING.md).
import { describe, expect, it } from "vitest";
import { MARK, type Marker } from "../../src/protocol/markers.js";
import { ARRAY_KEYS_SCAN_LIMIT, encodeValue, setOwn, shapeOf, type EncodeHooks } from "../../src/protocol/values.js";
import { decodeValue, type DecodeHooks } from "../../src/protocol/value-decoding.js";
import { describeType, findUncloneable, isStackOverflow } from "../../src/protocol/describe.js";

/** An object that must cross by reference: the hooks turn it into a handle marker. */
class Box {
  constructor(readonly id: number) {}
}

const hooks: EncodeHooks = {
  needsMarker: (value) => value instanceof Box,
  toMarker: (value, _encode, remember) => {
    const marker = { [MARK]: "handle", id: (value as Box).id, cls: 7 } as const;
    remember(marker);
    return marker;
  },
};
const decodeHooks: DecodeHooks = {
  fromMarker: (marker: Marker) => (marker[MARK] === "handle" ? new Box(marker.id) : marker),
};

/** What the receiver gets: the encoded value, copied by structured clone, then decoded. */
const roundTrip = (value: unknown) => {
  const { value: sent, encoded } = encodeValue(value, hooks);
  const received = structuredClone(sent);
  return encoded ? decodeValue(received, decodeHooks) : received;
};

describe("shapeOf", () => {
  class Sub extends Array {}
  class SubMap extends Map {}
  it.each([
    ["a number", 1, "primitive"],
    ["undefined", undefined, "primitive"],
    ["null", null, "primitive"],
    ["a symbol", Symbol("s"), "primitive"],
    ["a function", () => 1, "other"],
    ["an array", [1], "array"],
    ["an Array subclass", new Sub(), "other"],
    ["a plain object", { a: 1 }, "object"],
    ["a null-prototype object", Object.create(null) as object, "object"],
    ["a Map", new Map(), "map"],
    ["a Map subclass", new SubMap(), "other"],
    ["a Set", new Set(), "set"],
    ["a Date", new Date(0), "native"],
    ["a RegExp", /x/, "native"],
    ["an ArrayBuffer", new ArrayBuffer(1), "native"],
    ["a SharedArrayBuffer", new SharedArrayBuffer(1), "native"],
    ["a typed array", new Uint8Array(1), "native"],
    ["a DataView", new DataView(new ArrayBuffer(1)), "native"],
    ["a boxed number", Object(1) as object, "native"],
    ["a boxed string", Object("s") as object, "native"],
    ["a boxed boolean", Object(true) as object, "native"],
    ["a boxed bigint", Object(1n) as object, "native"],
    ["a Blob", new Blob(["x"]), "native"],
    ["a class instance", new Box(1), "other"],
    ["an Error", new Error("e"), "other"],
  ])("%s is %s", (_, value, shape) => {
    expect(shapeOf(value)).toBe(shape);
  });
});

describe("encodeValue: values that need no marker", () => {
  it.each([
    ["a primitive", 42],
    ["plain data", { a: [1, "x", null], b: new Map([["k", new Set([1])]]) }],
    ["native types", [new Date(0), /x/g, new Uint8Array(2)]],
    ["a class instance the hooks do not mark", new (class Plain {})()],
  ])("%s is posted as it is, unwalked on arrival", (_, value) => {
    const result = encodeValue(value, hooks);
    expect(result.encoded).toBe(false);
    expect(result.value).toBe(value);
  });
});

describe("encodeValue: values with markers", () => {
  it("replaces a marked object anywhere: array item, object field, Map key and value, Set item", () => {
    const box = new Box(3);
    const value = { list: [1, box], map: new Map<unknown, unknown>([[box, "v"], ["k", box]]), set: new Set([box]) };
    const result = encodeValue(value, hooks);
    expect(result.encoded).toBe(true);
    const marker = { [MARK]: "handle", id: 3, cls: 7 };
    const sent = result.value as { list: unknown[]; map: Map<unknown, unknown>; set: Set<unknown> };
    expect(sent.list).toEqual([1, marker]);
    expect([...sent.map]).toEqual([[marker, "v"], ["k", marker]]);
    expect([...sent.set]).toEqual([marker]);
    // One marker per object: shared references stay shared.
    expect(sent.list[1]).toBe([...sent.set][0]);
    // The caller's value is untouched.
    expect(value.list[1]).toBe(box);
  });

  it("a marked object at the top level", () => {
    expect(encodeValue(new Box(9), hooks)).toEqual({ value: { [MARK]: "handle", id: 9, cls: 7 }, encoded: true, deep: false });
  });

  it("keeps array holes, length and non-index properties in the copy", () => {
    // eslint-disable-next-line no-sparse-arrays -- holes are the point
    const array = Object.assign([1, , new Box(1), ,], { extra: "x" });
    const sent = encodeValue(array, hooks).value as unknown[] & { extra?: string };
    expect(sent).toHaveLength(4);
    expect(Object.keys(sent)).toEqual(["0", "2", "extra"]);
    expect(sent.extra).toBe("x");
  });

  it("a marked object in an array's non-index property is found and replaced", () => {
    const array = Object.assign([1, 2], { extra: new Box(5) });
    const result = encodeValue(array, hooks);
    expect(result.encoded).toBe(true);
    expect((result.value as { extra: unknown }).extra).toEqual({ [MARK]: "handle", id: 5, cls: 7 });
  });

  it(`scans non-index properties of arrays up to ${ARRAY_KEYS_SCAN_LIMIT} elements, not beyond`, () => {
    expect(ARRAY_KEYS_SCAN_LIMIT).toBe(10_000);
    const at = (length: number) => Object.assign(new Array<number>(length).fill(0), { extra: new Box(1) });
    expect(encodeValue(at(ARRAY_KEYS_SCAN_LIMIT), hooks).encoded).toBe(true);
    expect(encodeValue(at(ARRAY_KEYS_SCAN_LIMIT + 1), hooks).encoded).toBe(false);
    // Index elements of long arrays are always scanned.
    const long = new Array<unknown>(ARRAY_KEYS_SCAN_LIMIT + 1).fill(0);
    long[ARRAY_KEYS_SCAN_LIMIT] = new Box(2);
    expect(encodeValue(long, hooks).encoded).toBe(true);
  });

  it.each(["-1", "1.5", "4294967295", "01", "1e3", "x"])("a non-index key %j of an array is scanned for marked objects", (key) => {
    const array = Object.assign([1, 2], { [key]: new Box(5) });
    const result = encodeValue(array, hooks);
    expect(result.encoded).toBe(true);
    expect((result.value as unknown as Record<string, unknown>)[key]).toEqual({ [MARK]: "handle", id: 5, cls: 7 });
  });

  it("an array whose own key is the reserved key is encoded (and copied with it)", () => {
    const array = Object.assign([1], { [MARK]: "error" });
    const result = encodeValue(array, hooks);
    expect(result.encoded).toBe(true);
    expect(Array.isArray(result.value)).toBe(true);
    expect((result.value as Record<string, unknown>)[MARK]).toBe("error");
  });

  it("a plain object that uses the reserved key is escaped, and restored as it was", () => {
    const tricky = { [MARK]: "handle", id: 1, cls: 2 };
    const result = encodeValue(tricky, hooks);
    expect(result.encoded).toBe(true);
    expect(result.value).toEqual({ [MARK]: "escape", value: tricky });
    expect(roundTrip(tricky)).toEqual(tricky);
    expect(roundTrip([tricky, new Box(1)])).toEqual([tricky, new Box(1)]);
  });

  it("an own __proto__ key stays an own data key through encode and decode", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "box": null}') as Record<string, unknown>;
    value["box"] = new Box(4);
    const back = roundTrip(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(["__proto__", "box"]);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("cycles and shared references survive the round trip", () => {
    const shared = { name: "shared" };
    const value: Record<string, unknown> = { a: shared, b: shared, box: new Box(1) };
    value["self"] = value;
    const list: unknown[] = [new Box(2)];
    list.push(list);
    const back = roundTrip(value) as typeof value;
    expect(back["self"]).toBe(back);
    expect(back["a"]).toBe(back["b"]);
    expect(back["box"]).toBeInstanceOf(Box);
    const backList = roundTrip(list) as unknown[];
    expect(backList[1]).toBe(backList);
    const map = new Map<unknown, unknown>();
    map.set("me", map).set("box", new Box(3));
    const backMap = roundTrip(map) as Map<unknown, unknown>;
    expect(backMap.get("me")).toBe(backMap);
    const set = new Set<unknown>([new Box(4)]);
    set.add(set);
    const backSet = roundTrip(set) as Set<unknown>;
    expect(backSet.has(backSet)).toBe(true);
  });

  it("a cycle through a marked object resolves (the marker is remembered before its children)", () => {
    const value = { box: new Box(8) };
    const back = roundTrip([value, value]) as Array<{ box: Box }>;
    expect(back[0]).toBe(back[1]);
    expect(back[0]!.box).toEqual(new Box(8));
  });
});

describe("decodeValue", () => {
  it("restores markers in place inside arrays, objects, Maps (keys and values) and Sets, in order", () => {
    const marker = (id: number) => ({ [MARK]: "handle", id, cls: 0 });
    const received = { list: [marker(1), 2], map: new Map<unknown, unknown>([[marker(2), marker(3)], ["k", 1]]), set: new Set<unknown>([1, marker(4)]) };
    const back = decodeValue(received, decodeHooks) as typeof received;
    expect(back).toBe(received);
    expect(back.list).toEqual([new Box(1), 2]);
    expect([...back.map]).toEqual([[new Box(2), new Box(3)], ["k", 1]]);
    expect([...back.set]).toEqual([1, new Box(4)]);
  });

  it("decodes the same marker object once", () => {
    const marker = { [MARK]: "handle", id: 1, cls: 0 };
    const back = decodeValue([marker, marker], decodeHooks) as unknown[];
    expect(back[0]).toBe(back[1]);
  });

  it("a value remembered early by the hook is what a cycle points to", () => {
    const marker: Record<string, unknown> = { [MARK]: "error", builtin: "Error", name: "Error", message: "m" };
    marker["cause"] = marker;
    const hooks: DecodeHooks = {
      fromMarker: (m, decode, remember) => {
        const error = new Error("m");
        remember(error);
        (error as { cause?: unknown }).cause = decode((m as unknown as { cause: unknown }).cause);
        return error;
      },
    };
    const back = decodeValue(marker, hooks) as Error;
    expect(back.cause).toBe(back);
  });

  it("an escaped object with markers inside is unwrapped and decoded", () => {
    const received = { [MARK]: "escape", value: { [MARK]: "mine", box: { [MARK]: "handle", id: 6, cls: 0 } } };
    expect(decodeValue(received, decodeHooks)).toEqual({ [MARK]: "mine", box: new Box(6) });
  });

  it("leaves primitives and native values alone", () => {
    const date = new Date(0);
    expect(decodeValue(date, decodeHooks)).toBe(date);
    expect(decodeValue("s", decodeHooks)).toBe("s");
    expect(decodeValue(null, decodeHooks)).toBe(null);
  });
});

describe("describeType", () => {
  it.each([
    ["null", null, "null"],
    ["undefined", undefined, "a undefined"],
    ["a number", 1, "a number"],
    ["a bigint", 1n, "a bigint"],
    ["a named function", function named() {}, "a function (named)"],
    ["an anonymous function", (() => () => {})(), "a function"],
    ["a symbol", Symbol("tag"), "a Symbol (tag)"],
    ["a symbol without description", Symbol(), "a Symbol ()"],
    ["a WeakMap", new WeakMap(), "a WeakMap"],
    ["an instance of a class starting with a vowel", new (class Item {})(), "an Item"],
    ["an Error", new Error("e"), "an Error"],
    ["a plain object", {}, "an object"],
    ["a null-prototype object", Object.create(null) as object, "an object"],
    ["a Proxy", new Proxy({}, {}), "a Proxy"],
    ["a Proxy of a function", new Proxy(() => {}, {}), "a Proxy"],
  ])("%s: %s", (_, value, description) => {
    expect(describeType(value)).toBe(description);
  });
});

describe("findUncloneable", () => {
  it("finds nothing in a cloneable value", () => {
    expect(findUncloneable({ a: [1, new Map([[1, 2]])] })).toBeUndefined();
  });

  it.each([
    ["the value itself", Symbol("s"), ""],
    ["an array item", [1, Symbol("s")], "[1]"],
    ["an object field", { a: { b: new WeakMap() } }, ".a.b"],
    ["a Map key", new Map([[Symbol("k"), 1]]), " (a Map key)"],
    ["a Map value under a string key", new Map([["k", () => 1]]), '.get("k")'],
    ["a Map value under another key", new Map([[1, () => 1]]), ".get(…)"],
    ["a Set item", new Set([1, new WeakSet()]), " (a Set item)"],
    ["deep inside", { list: [{ ok: 1 }, { bad: [Symbol("x")] }] }, ".list[1].bad[0]"],
  ])("names the path to %s", (_, value, path) => {
    const found = findUncloneable(value);
    expect(found?.path).toBe(path);
    expect(found?.error).toBeInstanceOf(Error);
  });

  it("reports the uncloneable value itself", () => {
    const bad = new WeakMap();
    expect(findUncloneable({ a: bad })?.value).toBe(bad);
  });

  it("skips what the caller sends by reference", () => {
    const fn = () => 1;
    expect(findUncloneable(fn, (v) => v === fn)).toBeUndefined();
    expect(findUncloneable(fn)?.path).toBe("");
    expect(findUncloneable({ a: fn, b: Symbol("s") }, (v) => v === fn)?.path).toBe(".b");
  });

  it("stops at a getter that throws, naming the object and the getter's error", () => {
    const value = { inner: { get broken(): number { throw new Error("getter exploded"); } } };
    const found = findUncloneable(value);
    expect(found?.path).toBe(".inner");
    expect((found?.error as Error).message).toBe("getter exploded");
  });

  it("terminates on cycles", () => {
    const value: Record<string, unknown> = { bad: Symbol("s") };
    value["self"] = value;
    expect(findUncloneable(value)?.path).toBe(".bad");
  });

  it("does not look inside class instances (they are not walked by the codec either)", () => {
    const socket = new (class Socket {
      handle = Symbol("fd");
    })();
    expect(findUncloneable([socket])?.path).toBe("[0]");
    expect(findUncloneable([socket])?.value).toBe(socket);
  });
});

describe("isStackOverflow", () => {
  it("recognises the engine's stack overflow, and only that", () => {
    const overflow = (() => {
      const recurse = (n: number): number => recurse(n + 1) + 1;
      try {
        recurse(0);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(isStackOverflow(overflow)).toBe(true);
    expect(isStackOverflow(new RangeError("Maximum call stack size exceeded"))).toBe(true);
    expect(isStackOverflow(new RangeError("invalid array length"))).toBe(false);
    expect(isStackOverflow(new Error("Maximum call stack size exceeded"))).toBe(false);
    expect(isStackOverflow("Maximum call stack size exceeded")).toBe(false);
  });
});

describe("setOwn", () => {
  it("sets __proto__ as an own enumerable data property, without changing the prototype", () => {
    const target = {};
    setOwn(target, "__proto__", { polluted: true });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(target, "__proto__")).toEqual({ value: { polluted: true }, writable: true, enumerable: true, configurable: true });
  });

  it("sets other keys by plain assignment", () => {
    const target: Record<string, unknown> = {};
    setOwn(target, "a", 1);
    expect(target).toEqual({ a: 1 });
    const array: unknown[] = [];
    setOwn(array, "2", "x");
    expect(array).toHaveLength(3);
  });
});
