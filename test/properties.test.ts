// Property-based tests (issue 6, part 5): any value structured clone accepts comes back exactly as
// it was, through every path a value can take: blocking calls, .aio, futures, generators (yielded,
// returned, and sent with next(value)) and callbacks (their arguments and their results).
//
// Values are generated as *specs* (immutable descriptions) and built fresh for each use, so that
// shrinking never sees a value mutated by an earlier run (cycles are made by mutation), and so that
// a failure prints a readable recipe. Equality is `canonical` (test/fixtures/roundtrip.ts): an exact
// description of kinds, prototypes, own keys in order (holes and `undefined` differ), -0, NaN,
// bytes, error class/name/message/cause/fields and the identity graph (shared references, cycles).
// The worker computes it too, so the caller → worker direction is checked on its own.
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { Synchronizer } from "synchronicity-js";
import { fixture } from "./helpers.js";

type Fixture = typeof import("./fixtures/roundtrip.js");
const { canonical } = (await import(fixture("roundtrip").href)) as Fixture;

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule<Fixture>(fixture("roundtrip"));
afterAll(() => synchronizer.close());

// ---------------------------------------------------------------------------------------------
// Specs: what to build.

type Primitive = undefined | null | boolean | number | bigint | string;
type Entry<K> = readonly [K, Spec];
const errorClasses = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
} as const;
type ErrorClass = keyof typeof errorClasses;
const viewClasses = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
} as const;
type ViewKind = keyof typeof viewClasses;
interface ViewSpec {
  readonly kind: ViewKind;
  readonly start: number;
  readonly count: number;
}

type Spec =
  | { readonly t: "prim"; readonly v: Primitive }
  /** `items`: null is a hole; `trailing` holes after them; `extra`: non-index own properties. */
  | { readonly t: "array"; readonly items: readonly (Spec | null)[]; readonly trailing: number; readonly extra: readonly Entry<string>[] }
  | { readonly t: "object"; readonly nullProto: boolean; readonly entries: readonly Entry<string>[] }
  | { readonly t: "map"; readonly entries: readonly (readonly [Spec, Spec])[] }
  | { readonly t: "set"; readonly items: readonly Spec[] }
  | { readonly t: "date"; readonly time: number }
  | { readonly t: "regexp"; readonly source: string; readonly flags: string }
  | { readonly t: "boxed"; readonly v: number | string | boolean | bigint }
  /** One buffer; with views, either the first view alone or [buffer, ...views] sharing it. */
  | { readonly t: "buffer"; readonly bytes: readonly number[]; readonly resizable: boolean; readonly views: readonly ViewSpec[]; readonly group: boolean }
  | {
      readonly t: "error";
      readonly cls: ErrorClass;
      readonly message: string;
      readonly cause: { readonly v: Spec } | null;
      /** An own `name` set after construction. */
      readonly name: string | null;
      readonly fields: readonly Entry<string>[];
      /** AggregateError's errors. */
      readonly errors: readonly Spec[];
    }
  | { readonly t: "domexception"; readonly message: string; readonly name: string };

/** A tree plus links that turn it into a graph: [from container, to object, flavour]. */
interface Graph {
  readonly root: Spec;
  readonly links: readonly (readonly [number, number, boolean])[];
}

// ---------------------------------------------------------------------------------------------
// Building values from specs (always fresh objects).

function build(graph: Graph): unknown {
  const containers: object[] = [];
  const objects: object[] = [];
  const root = buildSpec(graph.root, containers, objects);
  if (containers.length > 0) {
    graph.links.forEach(([from, to, flavour], k) => link(containers[from % containers.length], objects[to % objects.length], flavour, k));
  }
  return root;
}

const define = (target: object, key: PropertyKey, value: unknown, enumerable = true) =>
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });

/** Adds a reference from `source` to `target` (a shared reference, or a cycle when `target` contains `source`). */
function link(source: object, target: object, flavour: boolean, k: number): void {
  if (Array.isArray(source)) {
    if (flavour) source.push(target);
    else define(source, `link${k}`, target);
  } else if (source instanceof Map) {
    if (flavour) source.set(target, k);
    else source.set(`link${k}`, target);
  } else if (source instanceof Set) {
    source.add(target);
  } else if (source instanceof Error) {
    if (!Object.prototype.hasOwnProperty.call(source, "cause")) define(source, "cause", target, false);
    else define(source, `link${k}`, target);
  } else {
    define(source, `link${k}`, target);
  }
}

function buildSpec(spec: Spec, containers: object[], objects: object[]): unknown {
  const child = (s: Spec) => buildSpec(s, containers, objects);
  const made = <T extends object>(value: T, container = false): T => {
    objects.push(value);
    if (container) containers.push(value);
    return value;
  };
  switch (spec.t) {
    case "prim":
      return spec.v;
    case "array": {
      const array = made([] as unknown[], true);
      spec.items.forEach((item, i) => {
        if (item !== null) array[i] = child(item);
      });
      array.length = spec.items.length + spec.trailing;
      for (const [key, value] of spec.extra) define(array, key, child(value));
      return array;
    }
    case "object": {
      const object = made(spec.nullProto ? (Object.create(null) as object) : {}, true);
      for (const [key, value] of spec.entries) define(object, key, child(value)); // "__proto__" stays an own data key
      return object;
    }
    case "map": {
      const map = made(new Map<unknown, unknown>(), true);
      for (const [key, value] of spec.entries) map.set(child(key), child(value));
      return map;
    }
    case "set": {
      const set = made(new Set<unknown>(), true);
      for (const item of spec.items) set.add(child(item));
      return set;
    }
    case "date":
      return made(new Date(spec.time));
    case "regexp":
      return made(new RegExp(spec.source, spec.flags));
    case "boxed":
      return made(Object(spec.v) as object);
    case "buffer": {
      const Resizable = ArrayBuffer as unknown as new (length: number, options?: { maxByteLength: number }) => ArrayBuffer;
      const buffer = made(new Resizable(spec.bytes.length, spec.resizable ? { maxByteLength: spec.bytes.length + 16 } : undefined));
      new Uint8Array(buffer).set(spec.bytes);
      const views = spec.views.map(({ kind, start, count }) => {
        const size = kind === "DataView" ? 1 : viewClasses[kind].BYTES_PER_ELEMENT;
        const fits = Math.floor(spec.bytes.length / size);
        const first = start % (fits + 1);
        const length = count % (fits - first + 1);
        const View = viewClasses[kind] as new (buffer: ArrayBuffer, byteOffset: number, length: number) => object;
        return made(new View(buffer, first * size, length));
      });
      if (views.length === 0) return buffer;
      return spec.group ? made([buffer, ...views], true) : views[0];
    }
    case "error": {
      const options = spec.cause === null ? undefined : { cause: child(spec.cause.v) };
      const error =
        spec.cls === "AggregateError"
          ? new AggregateError(spec.errors.map(child), spec.message, options)
          : new errorClasses[spec.cls](spec.message, options);
      made(error, true);
      if (spec.name !== null) error.name = spec.name;
      for (const [key, value] of spec.fields) define(error, key, child(value));
      return error;
    }
    case "domexception":
      return made(new DOMException(spec.message, spec.name));
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary" }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme" }) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii" }) },
  // Long strings, made of a repeated short one so that shrinking them stays quick.
  { weight: 1, arbitrary: fc.tuple(fc.string({ unit: "binary", minLength: 1, maxLength: 8 }), fc.integer({ min: 25, max: 250 })).map(([unit, times]) => unit.repeat(times)) },
);
const primitive: fc.Arbitrary<Primitive> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.bigInt(),
  text,
  fc.boolean(),
  fc.constantFrom(undefined, null, -0, 0, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53, 2n ** 64n, -(2n ** 200n)),
);
const propertyKey = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 6 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom("__proto__", "__synchronicity__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "then", "length", "0", "1", "42", "-1", "1.5", "4294967295", "", " "),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: codeUnit, maxLength: 3 }) },
);
/** Own properties an array can have besides its indices. */
const arrayExtraKey = fc.constantFrom("x", "__proto__", "__synchronicity__", "then", "-1", "1.5", "4294967295");
/** Fields of errors (own enumerable): structural keys are left out, they have their own meaning. */
const errorFieldKey = fc.constantFrom("code", "errno", "detail", "__proto__", "__synchronicity__", "0", "then", "π");

const regexpSources = ["", "a+b", "^(?<year>\\d{4})-(?<month>\\d{2})$", "(?:x|y)*?z", "[^\\s]+", "\\bword\\b", "a{2,3}", "(?=a)b|(?!c)d", "\\p{L}+", "[\\u{1F600}-\\u{1F64F}]"];
const escapeRegExp = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
const validRegExp = (source: string, flags: string) => {
  try {
    new RegExp(source, flags);
    return true;
  } catch {
    return false;
  }
};
const regexpSpec: fc.Arbitrary<Spec> = fc
  .record({
    source: fc.oneof(fc.constantFrom(...regexpSources), text.map(escapeRegExp)),
    flags: fc.tuple(fc.subarray(["d", "g", "i", "m", "s", "y"]), fc.constantFrom("", "u", "v")).map(([flags, unicode]) => flags.join("") + unicode),
  })
  .filter(({ source, flags }) => validRegExp(source, flags))
  .map(({ source, flags }) => ({ t: "regexp", source, flags }) as const);

const viewSpec: fc.Arbitrary<ViewSpec> = fc.record({
  kind: fc.constantFrom(...(Object.keys(viewClasses) as ViewKind[])),
  start: fc.nat(64),
  count: fc.nat(64),
});
const bufferSpec: fc.Arbitrary<Spec> = fc.record({
  t: fc.constant("buffer" as const),
  bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }),
  resizable: fc.boolean(),
  views: fc.oneof(fc.constant([]), fc.array(viewSpec, { minLength: 1, maxLength: 3 })),
  group: fc.boolean(),
});

const leaf: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 12, arbitrary: primitive.map((v) => ({ t: "prim", v }) as const) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constant(NaN), fc.double()).map((time) => ({ t: "date", time }) as const) },
  { weight: 1, arbitrary: regexpSpec },
  { weight: 1, arbitrary: fc.oneof(fc.double(), text, fc.boolean(), fc.bigInt()).map((v) => ({ t: "boxed", v }) as const) },
  { weight: 2, arbitrary: bufferSpec },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("domexception" as const),
      message: text,
      name: fc.constantFrom("AbortError", "DataCloneError", "NotFoundError", "TimeoutError", "QuotaExceededError", "Error", "MyOwnName", ""),
    }),
  },
);

const { value: specArb } = fc.letrec<{ value: Spec; container: Spec }>((tie) => ({
  value: fc.oneof({ depthSize: "small", maxDepth: 4, withCrossShrink: true }, leaf, tie("container")),
  container: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant("array" as const),
        items: fc.array(fc.option(tie("value"), { nil: null, freq: 6 }), { maxLength: 5 }),
        trailing: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(100) }),
        extra: fc.oneof(
          { weight: 4, arbitrary: fc.constant([]) },
          { weight: 1, arbitrary: fc.uniqueArray(fc.tuple(arrayExtraKey, tie("value")), { maxLength: 2, selector: ([key]) => key }) },
        ),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant("object" as const),
        nullProto: fc.boolean(),
        entries: fc.uniqueArray(fc.tuple(propertyKey, tie("value")), { maxLength: 5, selector: ([key]) => key }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("map" as const), entries: fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("set" as const), items: fc.array(tie("value"), { maxLength: 4 }) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant("error" as const),
        cls: fc.constantFrom(...(Object.keys(errorClasses) as ErrorClass[])),
        message: text,
        cause: fc.option(tie("value").map((v) => ({ v }))),
        name: fc.option(fc.constantFrom("CustomName", "", "TypeError")),
        fields: fc.oneof(
          { weight: 2, arbitrary: fc.constant([]) },
          { weight: 1, arbitrary: fc.uniqueArray(fc.tuple(errorFieldKey, tie("value")), { maxLength: 3, selector: ([key]) => key }) },
        ),
        errors: fc.array(tie("value"), { maxLength: 3 }),
      }),
    },
  ),
}));

const linksArb = fc.oneof(fc.constant([]), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 4 }));
const graphArb: fc.Arbitrary<Graph> = fc.record({ root: specArb, links: linksArb });

// ---------------------------------------------------------------------------------------------
// Checks.

/** What must arrive: the value as structured clone delivers it. */
const expected = (graph: Graph) => canonical(build(graph), { afterClone: true });
/** What arrived (exact: a null prototype here would show). */
const got = (value: unknown) => canonical(value);

const runs = { fast: 200, generators: 60, callbacks: 100 } as const;
/**
 * A run, shrinking included, is cut off after 20 s so that it cannot run into the test's 30 s
 * timeout (each property takes about 1 s on a quiet machine). Being cut off is a FAILURE
 * (markInterruptAsFailure): by default fast-check counts an interrupted run that had one success
 * as passed, so on a loaded machine the configured runs would silently shrink. A failure found
 * before the cut is still reported with the smallest value found so far.
 */
// In CI the seed is fixed, so that a landing never depends on luck; locally every run explores new
// values (set FC_SEED to replay one). A counterexample found either way is a bug to fix.
const seed = process.env["FC_SEED"] !== undefined ? Number(process.env["FC_SEED"]) : process.env["CI"] ? 20261125 : undefined;
const settings = (numRuns: number) => ({ numRuns, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: true, ...(seed !== undefined && { seed }) });

describe("round trips of structured-clone data", () => {
  it("blocking call (and caller → worker alone; the argument is left untouched)", () => {
    fc.assert(
      fc.property(graphArb, (graph) => {
        const value = build(graph);
        const before = canonical(value);
        expect(api.arrival(value)).toBe(expected(graph));
        expect(got(api.echo(value))).toBe(expected(graph));
        expect(got(api.echoSync(value))).toBe(expected(graph));
        expect(canonical(value)).toBe(before);
      }),
      settings(runs.fast),
    );
  });

  it("blocking call, with fast-check's own generator of values (fc.anything)", () => {
    const anything = fc.anything({
      key: propertyKey,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      withObjectString: false, // strings of code, not a kind of value
      maxDepth: 4,
    });
    fc.assert(
      fc.property(anything, (value) => {
        const want = canonical(value, { afterClone: true });
        expect(api.arrival(value)).toBe(want);
        expect(got(api.echo(value))).toBe(want);
      }),
      settings(runs.fast),
    );
  });

  it(".aio", async () => {
    await fc.assert(
      fc.asyncProperty(graphArb, async (graph) => {
        expect(got(await api.echo.aio(build(graph)))).toBe(expected(graph));
      }),
      settings(runs.fast),
    );
  });

  it(".future(...).result() and await future", async () => {
    await fc.assert(
      fc.asyncProperty(graphArb, fc.boolean(), async (graph, block) => {
        const future = api.echo.future(build(graph));
        expect(got(block ? future.result() : await future)).toBe(expected(graph));
      }),
      settings(runs.fast),
    );
  });

  const drainAsync = async (iterator: AsyncIterator<unknown, unknown>): Promise<{ items: unknown[]; returned: unknown }> => {
    const items: unknown[] = [];
    for (;;) {
      const step = await iterator.next();
      if (step.done) return { items, returned: step.value };
      items.push(step.value);
    }
  };
  const checkDrained = (graphs: readonly Graph[], { items, returned }: { items: unknown[]; returned: unknown }) => {
    expect(items.map(got)).toEqual(graphs.map(expected));
    // The return value is the whole list: one message, so canonical numbers its objects together.
    expect(got(returned)).toBe(canonical(graphs.map(build), { afterClone: true }));
  };
  const graphList = fc.array(graphArb, { maxLength: 4 });

  it("generator: yielded and returned values (async and sync generators, lockstep and read-ahead, blocking)", () => {
    fc.assert(
      fc.property(graphList, (graphs) => {
        checkDrained(graphs, drain(api.yieldAll(graphs.map(build))));
        checkDrained(graphs, drain(api.yieldAll.with({ readAhead: 3 })(graphs.map(build))));
        checkDrained(graphs, drain(api.yieldAllSync(graphs.map(build))));
      }),
      settings(runs.generators),
    );
  });

  it("generator: yielded and returned values (for await, lockstep and read-ahead)", async () => {
    await fc.assert(
      fc.asyncProperty(graphList, async (graphs) => {
        checkDrained(graphs, await drainAsync(api.yieldAll.aio(graphs.map(build))));
        checkDrained(graphs, await drainAsync(api.yieldAll.with({ readAhead: 2 }).aio(graphs.map(build))));
      }),
      settings(runs.generators),
    );
  });

  it("generator: values sent with next(value) and yielded back", async () => {
    await fc.assert(
      fc.asyncProperty(graphList, async (graphs) => {
        const blocking = api.echoSent();
        expect(blocking.next().value).toBe("ready");
        const asyncChat = api.echoSent.aio();
        expect((await asyncChat.next()).value).toBe("ready");
        for (const graph of graphs) {
          const back = blocking.next(build(graph)).value as { arrived: string; value: unknown };
          expect(back.arrived).toBe(expected(graph));
          expect(got(back.value)).toBe(expected(graph));
          const backAsync = (await asyncChat.next(build(graph))).value as { arrived: string; value: unknown };
          expect(backAsync.arrived).toBe(expected(graph));
          expect(got(backAsync.value)).toBe(expected(graph));
        }
        blocking.return(undefined);
        await asyncChat.return(undefined);
      }),
      settings(runs.generators),
    );
  });

  it("callback during a blocking call: its argument (worker → caller) and its result (caller → worker)", () => {
    fc.assert(
      fc.property(graphArb, (graph) => {
        const received: string[] = [];
        const result = api.viaCallback(build(graph), (argument) => {
          received.push(got(argument));
          return build(graph); // a fresh copy, so that the way back is checked on its own
        });
        expect(received).toEqual([expected(graph)]);
        expect(result.arrived).toBe(expected(graph));
        expect(result.returnedHere).toBe(expected(graph));
        expect(got(result.returned)).toBe(expected(graph));
      }),
      settings(runs.callbacks),
    );
  });

  it("callback during .aio (sync and async callbacks)", async () => {
    await fc.assert(
      fc.asyncProperty(graphArb, fc.boolean(), async (graph, asyncCallback) => {
        const received: string[] = [];
        const callback = (argument: unknown) => {
          received.push(got(argument));
          return asyncCallback ? Promise.resolve(build(graph)) : build(graph);
        };
        const result = await api.viaCallback.aio(build(graph), callback);
        expect(received).toEqual([expected(graph)]);
        expect(result.arrived).toBe(expected(graph));
        expect(result.returnedHere).toBe(expected(graph));
        expect(got(result.returned)).toBe(expected(graph));
      }),
      settings(runs.callbacks / 2),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-picked values, each through every path: minimal reproductions for what the properties found.

/** [label, make] */
/* eslint-disable no-sparse-arrays -- holes are what these cases are about */
const cases: Array<[string, () => unknown]> = [
  ["a sparse array alone", () => [1, , 3]],
  ["a sparse array next to an Error (the value needs markers)", () => [[1, , 3], new Error("e")]],
  ["a sparse array next to an object with the reserved key", () => [[, "b"], { __synchronicity__: 1 }]],
  /* eslint-enable no-sparse-arrays */
  ["an array with an extra own property, alone", () => Object.assign([1, 2], { x: 3 })],
  ["an array with an extra own property next to an Error", () => [Object.assign([1, 2], { x: 3 }), new TypeError("t")]],
  ["an own '__proto__' data key, alone", () => JSON.parse('{"__proto__": {"polluted": true}, "b": 2}')],
  ["an own '__proto__' data key next to an Error", () => [JSON.parse('{"__proto__": {"polluted": true}, "b": 2}'), new Error("e")]],
  ["an own '__proto__' key next to the reserved key", () => JSON.parse('{"__proto__": 1, "__synchronicity__": 2}')],
  ["an Error with an own enumerable '__proto__' field", () => define(new Error("e"), "__proto__", { polluted: true })],
  ["an Error with a field, in an array's non-index property", () => Object.assign([1], { error: Object.assign(new TypeError("t"), { code: "E_T" }) })],
  ["a DOMException in an array's non-index property", () => Object.assign([1], { error: new DOMException("gone", "NotFoundError") })],
  ["an object with the reserved key that looks like a marker", () => ({ __synchronicity__: "handle", id: 1, cls: 0 })],
  ["an array with an own reserved key, alone", () => define([1], "__synchronicity__", "error")],
  ["an array whose own reserved key looks like a marker, next to an Error", () => [define([1], "__synchronicity__", "error"), new Error("e")]],
  ["a cyclic Error cause through an array", () => {
    const list: unknown[] = [];
    list.push(new RangeError("r", { cause: list }));
    return list;
  }],
  ["views sharing a buffer next to an Error", () => {
    const buffer = new ArrayBuffer(16);
    return [new Uint8Array(buffer, 1, 3), new DataView(buffer, 2), new Float64Array(buffer, 8, 1), new Error("e")];
  }],
  ["an AggregateError with a DOMException and a cause", () => new AggregateError([new DOMException("gone", "NotFoundError"), 1], "many", { cause: -0 })],
];

describe("hand-picked values through every path", () => {
  for (const [label, make] of cases) {
    it(label, async () => {
      const want = canonical(make(), { afterClone: true });
      expect(api.arrival(make()), "caller → worker").toBe(want);
      expect(got(api.echo(make())), "blocking").toBe(want);
      expect(got(await api.echo.aio(make())), ".aio").toBe(want);
      expect(got(api.echo.future(make()).result()), ".future").toBe(want);
      expect(drain(api.yieldAll([make()])).items.map(got), "yielded").toEqual([want]);
      const chat = api.echoSent();
      chat.next();
      expect((chat.next(make()).value as { arrived: string }).arrived, "sent with next(value)").toBe(want);
      chat.return(undefined);
      const received: string[] = [];
      const result = api.viaCallback(make(), (argument) => {
        received.push(got(argument));
        return make();
      });
      expect(received, "callback argument").toEqual([want]);
      expect(result.returnedHere, "callback result").toBe(want);
      expect(got(result.returned), "callback result, back").toBe(want);
    });
  }
});

describe("limits of structured clone itself (not of this library)", () => {
  // The HTML structured-clone algorithm creates ordinary objects: a null prototype is not kept.
  // What arrives is exactly the data, on Object.prototype (which `canonical` tells apart).
  it("a null-prototype object arrives as an ordinary object with the same data", () => {
    const value = Object.assign(Object.create(null) as object, { a: 1 });
    const back = api.echo(value);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(got(back)).not.toBe(canonical(value));
    expect(got(back)).toBe(canonical({ a: 1 }));
  });

  // Structured clone copies a RegExp's source and flags, not its lastIndex.
  it("a RegExp arrives with its source and flags, and lastIndex 0", () => {
    const regexp = /a/gy;
    regexp.lastIndex = 3;
    const back = api.echo(regexp) as RegExp;
    expect(back).toBeInstanceOf(RegExp);
    expect([back.source, back.flags, back.lastIndex]).toEqual(["a", "gy", 0]);
  });
});

function drain(iterator: Iterator<unknown, unknown>): { items: unknown[]; returned: unknown } {
  const items: unknown[] = [];
  for (;;) {
    const step = iterator.next();
    if (step.done) return { items, returned: step.value };
    items.push(step.value);
  }
}
