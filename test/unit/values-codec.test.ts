// More unit tests of the value codec (src/protocol/values.ts), written against the mutants that
// survived values.test.ts (docs/TESTING.md, "Surviving mutants"): a marker that is the only one in
// its value (inside a Map, a Set, a class instance, a sparse array), the `deep` flag at its bound,
// what the hooks are asked about, sparse arrays costing what they hold, and findUncloneable's paths.
import { describe, expect, it } from "vitest";
import { MARK } from "../../src/protocol/markers.js";
import { encodeValue, PACK_DEPTH, shapeOf, type EncodeHooks } from "../../src/protocol/values.js";
import { decodeValue } from "../../src/protocol/value-decoding.js";
import { describeType, findUncloneable, isStackOverflow } from "../../src/protocol/describe.js";

class Box {
  constructor(readonly id: number) {}
}
const markerOf = (id: number) => ({ [MARK]: "handle", id, cls: 7 }) as const;

/** Hooks that turn Boxes (and the plain objects in `special`) into markers, and record what they were asked. */
function recordingHooks(special: ReadonlySet<object> = new Set()) {
  const asked: object[] = [];
  const hooks: EncodeHooks = {
    needsMarker: (value) => {
      asked.push(value);
      return value instanceof Box || special.has(value);
    },
    toMarker: (value, _encode, remember) => {
      const marker = value instanceof Box ? markerOf(value.id) : ({ [MARK]: "handle", id: 0, cls: 0 } as const);
      remember(marker);
      return marker;
    },
  };
  return { hooks, asked };
}
const { hooks } = recordingHooks();

/** `levels` arrays nested in each other, the innermost holding `inner`. */
function nested(levels: number, inner: unknown): unknown[] {
  let value: unknown[] = [inner];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

describe("shapeOf on a Proxy that cannot be inspected", () => {
  it("a revoked Proxy, and one whose getPrototypeOf trap throws, are 'other'", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(shapeOf(proxy)).toBe("other");
    const trap = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error("trap");
        },
      },
    );
    expect(shapeOf(trap)).toBe("other");
  });
});

describe("encodeValue: the only marker of a value", () => {
  it("as a Map key, as a Map value, as a Set item", () => {
    const box = new Box(1);
    for (const value of [new Map([[box, "v"]]), new Map([["k", box]]), new Set([box])]) {
      const result = encodeValue({ only: value }, hooks);
      expect(result.encoded).toBe(true);
      const sent = (result.value as { only: Map<unknown, unknown> | Set<unknown> }).only;
      expect(sent).not.toBe(value);
      expect([...sent]).toEqual([...value].map((entry) => (Array.isArray(entry) ? entry.map((x) => (x === box ? markerOf(1) : x)) : markerOf(1))));
    }
  });

  it("a Map or Set with nothing to mark is sent as it is", () => {
    const map = new Map<unknown, unknown>([[{ a: 1 }, [2]]]);
    const set = new Set([{ b: 2 }]);
    expect(encodeValue({ map, set }, hooks)).toEqual({ value: { map, set }, encoded: false, deep: false });
    expect(encodeValue({ map, set }, hooks).value).toStrictEqual({ map, set });
  });

  it("inside a class instance that itself needs no marker: the instance is copied as its own properties", () => {
    class Point {
      x = 1;
      box = new Box(2);
    }
    const { hooks: h, asked } = recordingHooks();
    const point = new Point();
    const result = encodeValue([point], h);
    expect(result.encoded).toBe(true);
    const sent = (result.value as unknown[])[0];
    expect(sent).toEqual({ x: 1, box: markerOf(2) });
    expect(Object.getPrototypeOf(sent)).toBe(Object.prototype);
    expect(asked).toContain(point);
  });

  it("inside an Array subclass: copied as an array", () => {
    class List extends Array<unknown> {}
    const list = new List();
    list.push("a", new Box(3));
    const result = encodeValue({ list }, hooks);
    expect(result.encoded).toBe(true);
    const sent = (result.value as { list: unknown[] }).list;
    expect(Array.isArray(sent)).toBe(true);
    expect([...sent]).toEqual(["a", markerOf(3)]);
  });

  it("a class instance with nothing to mark is left to structured clone (the same object)", () => {
    class Point {
      x = 1;
    }
    const point = new Point();
    const result = encodeValue({ point, box: new Box(1) }, hooks);
    expect((result.value as { point: unknown }).point).toBe(point);
  });

  it("a plain object the hooks want as a marker becomes one, at the top and inside", () => {
    const special = { plain: true };
    const { hooks: h } = recordingHooks(new Set([special]));
    expect(encodeValue(special, h)).toEqual({ value: { [MARK]: "handle", id: 0, cls: 0 }, encoded: true, deep: false });
    const result = encodeValue({ a: [special], b: special }, h);
    expect(result.encoded).toBe(true);
    const sent = result.value as { a: unknown[]; b: unknown };
    expect(sent.a[0]).toEqual({ [MARK]: "handle", id: 0, cls: 0 });
    // Remembered: the same object is one marker.
    expect(sent.b).toBe(sent.a[0]);
  });

  it("native values next to a marker are kept as they are", () => {
    const date = new Date(0);
    const bytes = new Uint8Array([1, 2]);
    const result = encodeValue({ date, bytes, box: new Box(4) }, hooks);
    const sent = result.value as { date: unknown; bytes: unknown; box: unknown };
    expect(sent.date).toBe(date);
    expect(sent.bytes).toBe(bytes);
    expect(sent.box).toEqual(markerOf(4));
  });

  it("an array's non-index property holding plain data does not make the array need encoding", () => {
    const match = Object.assign(["x"], { index: 3, groups: { g: "x" } });
    expect(encodeValue(match, hooks)).toEqual({ value: match, encoded: false, deep: false });
  });

  it("a cycle with nothing to mark needs no encoding", () => {
    const value: Record<string, unknown> = { a: 1 };
    value["self"] = value;
    const list: unknown[] = [];
    list.push(list);
    expect(encodeValue(value, hooks).encoded).toBe(false);
    expect(encodeValue(list, hooks).encoded).toBe(false);
    expect(encodeValue(new Map([[value, list]]), hooks).encoded).toBe(false);
  });
});

describe("encodeValue: what the hooks are asked", () => {
  it("needsMarker is asked about plain objects and other objects, never about arrays, Maps, Sets, native values or primitives", () => {
    const { hooks: h, asked } = recordingHooks();
    const plain = { n: 1 };
    const instance = new (class Thing {})();
    encodeValue([plain, new Map([[1, new Set([instance])]]), new Date(0), new Uint8Array(1), "s", 1], h);
    expect(asked.every((value) => value === plain || value === instance)).toBe(true);
    expect(asked).toContain(plain);
    expect(asked).toContain(instance);
  });
});

describe("encodeValue: the deep flag (values nested more than PACK_DEPTH levels travel packed)", () => {
  it(`plain data: ${PACK_DEPTH + 1} nested arrays are not deep, ${PACK_DEPTH + 2} are`, () => {
    expect(encodeValue(nested(PACK_DEPTH + 1, 1), hooks)).toMatchObject({ encoded: false, deep: false });
    expect(encodeValue(nested(PACK_DEPTH + 2, 1), hooks)).toMatchObject({ encoded: false, deep: true });
    expect(encodeValue({ a: nested(PACK_DEPTH + 1, 1) }, hooks)).toMatchObject({ encoded: false, deep: true });
  });

  it(`with a marker inside: ${PACK_DEPTH} nested arrays around it are not deep, ${PACK_DEPTH + 1} are`, () => {
    expect(encodeValue(nested(PACK_DEPTH, new Box(1)), hooks)).toMatchObject({ encoded: true, deep: false });
    expect(encodeValue(nested(PACK_DEPTH + 1, new Box(1)), hooks)).toMatchObject({ encoded: true, deep: true });
  });

  it("with a marker inside, depth counts through objects, Maps and Sets too", () => {
    let value: unknown = new Box(1);
    for (let i = 0; i < PACK_DEPTH + 1; i++) value = i % 3 === 0 ? { v: value } : i % 3 === 1 ? new Set([value]) : new Map([["k", value]]);
    expect(encodeValue(value, hooks)).toMatchObject({ encoded: true, deep: true });
  });

  it("the deepest point counts, not the last one visited", () => {
    expect(encodeValue([nested(PACK_DEPTH + 2, 1), { shallow: true }], hooks)).toMatchObject({ encoded: false, deep: true });
    expect(encodeValue([nested(PACK_DEPTH + 1, new Box(1)), { shallow: true }], hooks)).toMatchObject({ encoded: true, deep: true });
  });

  it("a native value (a Date) or a Map's entries add no level of their own", () => {
    expect(encodeValue(nested(PACK_DEPTH + 1, new Date(0)), hooks)).toMatchObject({ encoded: false, deep: false });
    expect(encodeValue(nested(PACK_DEPTH, new Map([["k", 1]])), hooks)).toMatchObject({ encoded: false, deep: false });
    expect(encodeValue(nested(PACK_DEPTH, new Map([["k", [1]]])), hooks)).toMatchObject({ encoded: false, deep: true });
  });

  it("depth counts through the fields of a class instance copied because of a marker inside", () => {
    class Holder {
      constructor(readonly box: Box) {}
    }
    expect(encodeValue(nested(PACK_DEPTH, new Holder(new Box(1))), hooks)).toMatchObject({ encoded: true, deep: true });
    expect(encodeValue(nested(PACK_DEPTH - 1, new Holder(new Box(1))), hooks)).toMatchObject({ encoded: true, deep: false });
  });

  it("a shallow value with a marker is not deep", () => {
    expect(encodeValue({ a: [new Box(1)] }, hooks)).toMatchObject({ encoded: true, deep: false });
  });
});

describe("encodeValue: sparse arrays cost what they hold, not their length", () => {
  /** A sparse array of `length` behind a Proxy that counts the element reads and `in` checks. */
  function counted(length: number, entries: Record<number, unknown>) {
    const array: unknown[] = [];
    array.length = length;
    Object.assign(array, entries);
    let touches = 0;
    const proxy = new Proxy(array, {
      get(target, key, receiver) {
        if (typeof key === "string" && /^\d+$/.test(key)) touches++;
        return Reflect.get(target, key, receiver) as unknown;
      },
      has(target, key) {
        touches++;
        return Reflect.has(target, key);
      },
    });
    return { proxy, touches: () => touches };
  }

  it("a marker far into a sparse array is found after a few thousand element reads, not a million", () => {
    const { proxy, touches } = counted(1_000_000, { 999_999: new Box(5) });
    expect(encodeValue([proxy], hooks).encoded).toBe(true);
    expect(touches()).toBeLessThan(5_000);
  });

  it("a sparse array with nothing to mark: no encoding, and few reads", () => {
    const { proxy, touches } = counted(1_000_000, { 10: "a", 500_000: { b: 1 } });
    expect(encodeValue([proxy], hooks).encoded).toBe(false);
    expect(touches()).toBeLessThan(5_000);
  });

  it("a sparse array using the reserved key needs encoding", () => {
    const array: unknown[] = [];
    array.length = 1_000_000;
    (array as unknown as Record<string, unknown>)[MARK] = "not a marker";
    expect(encodeValue(array, hooks).encoded).toBe(true);
  });

  it("a marker in the largest sparse array (length 2 ** 32 - 1) is found", () => {
    const array: unknown[] = [];
    array[2 ** 32 - 2] = new Box(6);
    const result = encodeValue(array, hooks);
    expect(result.encoded).toBe(true);
    const sent = result.value as unknown[];
    expect(sent.length).toBe(2 ** 32 - 1);
    expect(sent[2 ** 32 - 2]).toEqual(markerOf(6));
    expect(Object.keys(sent)).toEqual([String(2 ** 32 - 2)]);
  });

  it("an array with a few holes among its items is still read item by item (holes count only past a thousand)", () => {
    const array: unknown[] = [1, 2];
    array[10] = new Box(7);
    const result = encodeValue(array, hooks);
    expect(result.encoded).toBe(true);
    expect(Object.keys(result.value as unknown[])).toEqual(["0", "1", "10"]);
  });
});

describe("decodeValue", () => {
  it("a cycle made of plain data is restored as the same cycle", () => {
    const value: Record<string, unknown> = { n: 1 };
    value["self"] = value;
    const decoded = decodeValue(value, { fromMarker: () => undefined }) as Record<string, unknown>;
    expect(decoded).toBe(value);
    expect(decoded["self"]).toBe(decoded);
  });
});

describe("describeType on odd objects", () => {
  it("an object whose prototype has no constructor is 'an object'", () => {
    expect(describeType(Object.create(Object.create(null) as object) as object)).toBe("an object");
  });

  it("the article follows the first letter only: 'a MyEvent', 'an Event'", () => {
    class MyEvent {}
    class Event2 {}
    expect(describeType(new MyEvent())).toBe("a MyEvent");
    expect(describeType(new Event2())).toBe("an Event2");
  });

  it("an object whose constructor cannot be read is 'a value that cannot be inspected'", () => {
    const proto = {
      get constructor(): never {
        throw new Error("no");
      },
    };
    expect(describeType(Object.create(proto) as object)).toBe("a value that cannot be inspected");
  });
});

describe("findUncloneable: more paths", () => {
  it("a value that refers to itself before its uncloneable property: the property is named, not the cycle", () => {
    const value: Record<string, unknown> = {};
    value["self"] = value;
    value["bad"] = Symbol("s");
    expect(findUncloneable(value)?.path).toBe(".bad");
    const list: unknown[] = [];
    list.push(list, Symbol("x"));
    expect(findUncloneable(list)?.path).toBe("[1]");
    const inner: Record<string, unknown> = {};
    const outer = { a: inner };
    inner["up"] = outer;
    inner["fn"] = () => 1;
    expect(findUncloneable(outer)?.path).toBe(".a.fn");
  });

  it("in a Map, the first entry that fails is named, after entries that clone", () => {
    const found = findUncloneable(new Map<unknown, unknown>([["ok", 1], ["bad", Symbol("b")]]));
    expect(found?.path).toBe('.get("bad")');
  });

  it("an uncloneable object that is not walked (a class instance) is named with structured clone's own error", () => {
    class Holder {
      fn = () => 1;
    }
    const holder = new Holder();
    const found = findUncloneable({ holder });
    expect(found?.path).toBe(".holder");
    expect(found?.value).toBe(holder);
    expect((found?.error as Error).name).toBe("DataCloneError");
  });

  it("a getter that throws while the object is walked: the error of that read is reported", () => {
    const errors = [new Error("read by structured clone"), new Error("read by the walk")];
    let reads = 0;
    const value = {
      get broken(): number {
        throw errors[reads++]!;
      },
    };
    const found = findUncloneable(value);
    expect(found?.path).toBe("");
    expect(found?.value).toBe(value);
    expect(found?.error).toBe(errors[1]);
  });

  it("skip is asked only about objects and functions, and a skip that throws skips nothing", () => {
    expect(findUncloneable(Symbol("s"), () => true)?.path).toBe("");
    const weak = new WeakMap();
    expect(findUncloneable(weak, (v) => v === weak)).toBeUndefined();
    expect(findUncloneable({ a: weak, b: Symbol("b") }, (v) => v === weak)?.path).toBe(".b");
    const thrower = () => {
      throw new Error("skip failed");
    };
    expect(findUncloneable({ a: weak }, thrower)?.path).toBe(".a");
  });
});

describe("isStackOverflow", () => {
  it("a value whose class cannot be checked (a revoked Proxy) is not a stack overflow", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(isStackOverflow(proxy)).toBe(false);
  });
});
