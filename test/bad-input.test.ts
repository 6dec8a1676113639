// Bad input, table-tested: each case gets a clear error naming the problem, and the next
// ordinary call still works (issue 6). A default timeout turns any hang into a failure.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ClosedError, DataCloneError, ModuleLoadError, ReferenceLostError, release, Synchronizer, TimeoutError } from "synchronicity-js";
import { fixture, thrown } from "./helpers.js";

const synchronizer = new Synchronizer({ timeout: 20_000, loadTimeout: 20_000 });
const api = synchronizer.wrapModule<typeof import("./fixtures/bad-input.js")>(fixture("bad-input"));
afterAll(() => synchronizer.close());

const caught = (fn: () => unknown) => thrown(fn) as Error;

const deep = (depth: number) => {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

const throwingGetter = {
  get field(): number {
    throw new Error("getter exploded");
  },
};

const cases: Array<[string, () => unknown, (error: Error) => void]> = [
  ["a Symbol argument", () => api.echo(Symbol("s")), (e) => {
    expect(e).toBeInstanceOf(DataCloneError);
    expect(e.message).toMatch(/argument 1 could not be copied to the worker: it is a Symbol/);
  }],
  ["a non-cloneable value nested in an argument", () => api.echo({ list: [1, { cache: new WeakMap() }] }), (e) => {
    expect(e.message).toMatch(/argument 1, at \.list\[1\]\.cache, could not be copied.*a WeakMap/);
  }],
  ["a non-cloneable second argument", () => (api.echo as unknown as (...args: unknown[]) => unknown)(1, () => {}, new WeakSet()), (e) => {
    expect(e.message).toMatch(/argument 3 could not be copied.*a WeakSet/);
  }],
  ["a non-cloneable return value", () => api.returnsSymbol(), (e) => {
    expect(e).toBeInstanceOf(DataCloneError);
    expect(e.message).toMatch(/return value of returnsSymbol\(\) could not be copied.*a Symbol/);
  }],
  ["a non-cloneable yielded value", () => [...api.yieldsBadValue()], (e) => {
    expect(e).toBeInstanceOf(DataCloneError);
    expect(e.message).toMatch(/yielded value.*could not be copied.*a Symbol/);
  }],
  ["a deeply nested argument", () => api.echo(deep(200_000)), (e) => {
    expect(e).toBeInstanceOf(DataCloneError);
    expect(e.message).toMatch(/argument 1 is nested too deeply to be copied/);
  }],
  ["a deeply nested return value", () => api.deepValue(200_000), (e) => {
    expect(e).toBeInstanceOf(DataCloneError);
    expect(e.message).toMatch(/return value of deepValue\(\) is nested too deeply/);
  }],
  ["a Proxy argument", () => api.echo(new Proxy({}, { ownKeys: () => { throw new Error("trap"); } })), (e) => {
    expect(e).toBeInstanceOf(DataCloneError);
    expect(e.message).toMatch(/argument 1.*trap/);
  }],
  ["a getter that throws", () => api.echo(throwingGetter), (e) => {
    expect(e.message).toMatch(/argument 1.*getter exploded/);
  }],
];

describe.each(cases)("%s", (_, call, check) => {
  it("gets a clear error, and the next call works", () => {
    check(caught(call));
    expect(api.ping()).toBe("pong");
  });
});

describe("values that barely cross", () => {
  it("an error with a field that cannot be copied arrives with that field described", () => {
    const error = caught(() => api.throwsErrorWithBadField()) as Error & Record<string, unknown>;
    expect(error.message).toBe("has a bad field");
    expect(error["code"]).toBe("E_BAD_FIELD");
    expect(error["token"]).toMatch(/not copyable: a Symbol/);
    expect(api.ping()).toBe("pong");
  });

  it("100 MiB strings go there and back", async () => {
    const big = "y".repeat(100 * 1024 * 1024);
    expect(api.size(big)).toBe(big.length);
    expect(api.bigString(100).length).toBe(100 * 1024 * 1024);
    expect((await api.bigString.aio(100)).length).toBe(100 * 1024 * 1024);
    expect(api.ping()).toBe("pong");
  }, 60_000);

  it("cycles, undefined and missing arguments", () => {
    const cyclic: { self?: unknown; n: number } = { n: 1 };
    cyclic.self = cyclic;
    const back = api.echo(cyclic) as typeof cyclic;
    expect(back.self).toBe(back);
    expect(api.echo(undefined)).toBeUndefined();
    expect((api.echo as unknown as () => unknown)()).toBeUndefined();
  });

  it("a method on a released handle, and a call after close()", async () => {
    const item = new api.Item();
    release(item);
    expect(() => item.touch()).toThrow(ReferenceLostError);
    expect(api.ping()).toBe("pong");
    const other = new Synchronizer();
    const closed = other.wrapModule<typeof import("./fixtures/bad-input.js")>(fixture("bad-input"));
    expect(closed.ping()).toBe("pong");
    await other.close();
    expect(() => closed.ping()).toThrow(ClosedError);
  });
});

describe("modules that cannot be wrapped", () => {
  const dir = mkdtempSync(join(tmpdir(), "synchronicity-bad-"));
  writeFileSync(join(dir, "data.json"), "{}");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["a path that does not exist", join(dir, "missing.js"), /Cannot find module/],
    ["a text file", new URL("../../test/fixtures/not-a-module.txt", fixture("bad-input")), /Unknown file extension ".txt"/],
    ["a JSON file without an import attribute", join(dir, "data.json"), /import attribute/],
    ["a directory", dir, /Directory import|Cannot find module|EISDIR|unsupported/i],
  ])("%s: a ModuleLoadError that says why", (_, module, why) => {
    const s = new Synchronizer({ loadTimeout: 20_000 });
    try {
      const error = caught(() => s.wrapModule(module as string, { eager: true }));
      expect(error).toBeInstanceOf(ModuleLoadError);
      expect(error.message).toMatch(why);
      expect(s.wrapModule<typeof import("./fixtures/bad-input.js")>(fixture("bad-input")).ping()).toBe("pong");
    } finally {
      void s.close();
    }
  });

  it("a module whose top level never finishes: a TimeoutError after loadTimeout, and the synchronizer stays usable", async () => {
    // loadTimeout bounds every load of this synchronizer, the good module's too: 5 s leaves that
    // one room on a loaded machine (300 ms and 1.5 s did not, at a load average of 30 on 2 cores).
    const s = new Synchronizer({ loadTimeout: 5_000, shutdownTimeout: 200 });
    try {
      const started = performance.now();
      const error = caught(() => s.wrapModule(fixture("never-loads"), { eager: true }));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error.message).toMatch(/never-loads\.js did not finish loading within 5000 ms/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(4_950);
      expect(performance.now() - started).toBeLessThan(15_000);
      await expect(s.importModule(fixture("never-loads"))).rejects.toThrow(TimeoutError);
      expect(s.wrapModule<typeof import("./fixtures/bad-input.js")>(fixture("bad-input")).ping()).toBe("pong");
    } finally {
      await s.close();
    }
  });
});
