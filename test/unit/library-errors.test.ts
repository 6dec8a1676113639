// More unit tests of the library's error classes (src/errors.ts), written against the mutants that
// survived errors.test.ts (docs/TESTING.md, "Surviving mutants"): each class built inside a test
// (a constructor that throws at collection time fails no test in Stryker's runner), and the exact
// descriptors of `name` and `code` on the prototypes.
import { describe, expect, it } from "vitest";
import { ClosedError, DataCloneError, DeadlockError, InterruptedError, libraryErrors, ModuleLoadError, ReferenceLostError, TimeoutError, WorkerExitError } from "../../src/errors.js";

describe("the library's error classes, built in the test", () => {
  it("each takes a message and options (cause, and its own extra field)", () => {
    const cause = new Error("why");
    const clone = new DataCloneError("c", { position: "argument 2", cause });
    expect([clone.message, clone.position, clone.cause]).toEqual(["c", "argument 2", cause]);
    const exit = new WorkerExitError("e", { exitCode: 0, cause });
    expect([exit.message, exit.exitCode, exit.cause]).toEqual(["e", 0, cause]);
    const load = new ModuleLoadError("l", { specifier: "./impl.js", cause });
    expect([load.message, load.specifier, load.cause]).toEqual(["l", "./impl.js", cause]);
    for (const Ctor of [TimeoutError, ClosedError, DeadlockError, ReferenceLostError, InterruptedError]) {
      const error = new Ctor("m", { cause });
      expect(error).toBeInstanceOf(Error);
      expect([error.message, error.cause]).toEqual(["m", cause]);
    }
  });

  it("without options, no extra field is set", () => {
    expect(Object.keys(new DataCloneError("c"))).toEqual([]);
    expect(Object.keys(new WorkerExitError("e"))).toEqual([]);
    expect(Object.keys(new ModuleLoadError("l"))).toEqual([]);
  });

  it.each(Object.entries(libraryErrors))("%s: name and code are writable, configurable, not enumerable data on the prototype", (name, ctor) => {
    const { prototype } = ctor as unknown as { prototype: object };
    expect(Object.getOwnPropertyDescriptor(prototype, "name")).toEqual({ value: name, writable: true, enumerable: false, configurable: true });
    const code = Object.getOwnPropertyDescriptor(prototype, "code");
    expect(code).toEqual({ value: expect.stringMatching(/^ERR_SYNCHRONICITY_[A-Z_]+$/), writable: true, enumerable: false, configurable: true });
  });
});
