// Each mutated module, imported inside a test: a mutant in load-time code that makes the import
// throw then fails a test. (Imported at the top of a file, the module's failure is a collection
// error, which Stryker's vitest runner does not count as a failed test: such mutants "survived".)
// Nothing from src/ may be imported statically here, or the module would load before the tests.
import { describe, expect, it } from "vitest";

describe("the mutated modules load, with their load-time tables", () => {
  it("caller/iterators: the views inherit the runtime's iterator prototypes", async () => {
    const { RemoteGenerator, AsyncRemoteGenerator } = await import("../../src/caller/remote/iterators.js");
    const iteratorPrototype = (globalThis as { Iterator?: { prototype: object } }).Iterator?.prototype ?? Object.prototype;
    expect(Object.getPrototypeOf(RemoteGenerator.prototype)).toBe(iteratorPrototype);
    const asyncIteratorPrototype: unknown = Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})()));
    expect(Object.getPrototypeOf(AsyncRemoteGenerator.prototype)).toBe(asyncIteratorPrototype);
  });

  it("protocol/errors: every built-in error class is known by its prototype", async () => {
    const { builtinErrors, builtinNameOf } = await import("../../src/protocol/errors.js");
    expect(Object.keys(builtinErrors)).toEqual(["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError"]);
    for (const [name, ctor] of Object.entries(builtinErrors)) expect(builtinNameOf(Object.create(ctor.prototype) as object)).toBe(name);
  });

  it("protocol/values: natively cloneable prototypes", async () => {
    const { shapeOf } = await import("../../src/protocol/values.js");
    expect([new Date(0), /x/, new ArrayBuffer(1), new SharedArrayBuffer(1), Object(1) as object, new Blob([])].map(shapeOf)).toEqual(Array(6).fill("native"));
  });

  it("errors: name and code of every library error class", async () => {
    const { libraryErrors } = await import("../../src/errors.js");
    const named = Object.entries(libraryErrors).map(([name, ctor]) => [name, (ctor.prototype as Error).name]);
    expect(named.every(([name, prototypeName]) => name === prototypeName)).toBe(true);
    expect(named.map(([name]) => name)).toEqual(
      expect.arrayContaining(["DataCloneError", "TimeoutError", "WorkerExitError", "ClosedError", "DeadlockError", "ModuleLoadError", "ReferenceLostError", "InterruptedError"]),
    );
  });

  it("the other mutated modules load", async () => {
    const modules = await Promise.all([
      import("../../src/protocol/markers.js"),
      import("../../src/protocol/functions.js"),
      import("../../src/protocol/handle-table.js"),
      import("../../src/protocol/handle-refs.js"),
      import("../../src/protocol/shared-state.js"),
      import("../../src/caller/support/resolve.js"),
      import("../../src/caller/wire/request-errors.js"),
    ]);
    expect(modules.map((m) => Object.keys(m).length > 0)).toEqual(Array(7).fill(true));
  });
});
