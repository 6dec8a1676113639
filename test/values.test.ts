// Values cross by structured clone; what cannot be cloned gets a clear error and breaks nothing.
import { afterAll, describe, expect, it } from "vitest";
import { DataCloneError, Synchronizer } from "synchronicity-js";
import { fixture } from "./helpers.js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule<typeof import("./fixtures/basic.js")>(fixture("basic"));
afterAll(() => synchronizer.close());

describe("structured clone values survive the round trip", () => {
  const cyclic: Record<string, unknown> = { name: "loop" };
  cyclic["self"] = cyclic;

  it.each([
    ["a Map", new Map<unknown, unknown>([["a", 1], [2, { b: [3] }]])],
    ["a Set", new Set([1, "two", 3n])],
    ["a Date", new Date("2020-01-02T03:04:05Z")],
    ["a RegExp", /ab+c/gi],
    ["typed arrays", { u8: new Uint8Array([1, 2, 3]), f64: new Float64Array([1.5, -2]) }],
    ["an ArrayBuffer", new Uint8Array([9, 8, 7]).buffer],
    ["a bigint", 12345678901234567890n],
    ["nested arrays with holes and undefined", [1, undefined, [null, [NaN, -0]]]],
    ["a null-prototype object", Object.assign(Object.create(null) as object, { x: 1 })],
    ["a string with every plane", "ascii é 漢字 😀"],
  ])("%s", async (_, value) => {
    expect(api.echo(value)).toEqual(value);
    expect(await api.echo.aio(value)).toEqual(value);
    expect(api.echo.future(value).result()).toEqual(value);
  });

  it("cycles", () => {
    const back = api.echo(cyclic) as typeof cyclic;
    expect(back["self"]).toBe(back);
    expect(back["name"]).toBe("loop");
  });

  it("a plain object that uses the library's reserved marker key", () => {
    const tricky = { __synchronicity__: "error", message: "not an error" };
    expect(api.echo(tricky)).toEqual(tricky);
    expect((api.echo([tricky, new Error("e")]) as unknown[])[0]).toEqual(tricky);
  });

  it("errors nested inside values", () => {
    const back = api.echo({ list: [new RangeError("inside")] }) as { list: Error[] };
    expect(back.list[0]).toBeInstanceOf(RangeError);
    expect(back.list[0]!.message).toBe("inside");
  });
});

describe("values that cannot be cloned", () => {
  it("an argument: a DataCloneError that names the position and the type", () => {
    let error: unknown;
    try {
      api.describe(1, Symbol("nope"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataCloneError);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as DataCloneError).position).toBe("argument 2");
    expect((error as Error).message).toMatch(/argument 2 could not be copied to the worker: it is a Symbol/);
  });

  it("a nested argument: names the path inside it", () => {
    expect(() => api.describe({ ok: 1, inner: { weak: new WeakMap() } })).toThrow(/argument 1, at \.inner\.weak, could not be copied.*a WeakMap/);
  });

  it("the same through .aio and .future", async () => {
    await expect(api.describe.aio(Symbol("a"))).rejects.toThrow(DataCloneError);
    expect(() => api.describe.future(Symbol("b"))).toThrow(DataCloneError);
  });

  it("a return value: names the return value and the type", () => {
    expect(() => api.returnsSymbol()).toThrow(/return value of returnsSymbol\(\) could not be copied.*a Symbol/);
    expect(() => api.returnsNested()).toThrow(/return value of returnsNested\(\), at \.bad\.deep, could not be copied.*a WeakMap/);
  });

  it("a getter that throws while the argument is read", () => {
    const value = {
      get broken(): number {
        throw new Error("getter exploded");
      },
    };
    expect(() => api.describe(value)).toThrow(/argument 1.*getter exploded/);
  });

  it("leaves the synchronizer usable: the next calls work (a peer poisons every later call)", async () => {
    for (let i = 0; i < 5; i++) {
      expect(() => api.describe(Symbol("x"))).toThrow(DataCloneError);
      expect(() => api.returnsSymbol()).toThrow(DataCloneError);
      expect(api.add(i, 1)).toBe(i + 1);
      expect(await api.square.aio(i, 1)).toBe(i * i);
    }
  });
});
