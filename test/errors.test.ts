// Errors thrown in the worker arrive in the caller with their class, fields, causes and a useful stack.
import { afterAll, describe, expect, it } from "vitest";
import { ClosedError, DataCloneError, ModuleLoadError, ReferenceLostError, release, Synchronizer, TimeoutError, WorkerExitError } from "synchronicity-js";
import { fixture, rejected, runNode, script, thrown } from "./helpers.js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule<typeof import("./fixtures/errors.js")>(fixture("errors"));
afterAll(() => synchronizer.close());

describe("built-in error classes", () => {
  it.each([
    ["throwTypeError", TypeError, "bad type"],
    ["throwRangeError", RangeError, "out of range"],
    ["throwSync", SyntaxError, "sync throw"],
  ] as const)("%s keeps its class and message", (name, cls, message) => {
    const error = thrown(() => api[name]()) as Error;
    expect(error).toBeInstanceOf(cls);
    expect(error.constructor).toBe(cls);
    expect(error.message).toBe(message);
    expect(error.name).toBe(cls.name);
  });

  it("keeps AggregateError.errors with their classes", () => {
    const error = thrown(() => api.throwAggregate()) as AggregateError;
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.message).toBe("many failed");
    expect(error.errors).toHaveLength(2);
    expect(error.errors[0]).toBeInstanceOf(Error);
    expect(error.errors[1]).toBeInstanceOf(TypeError);
    expect((error.errors[1] as Error).message).toBe("second");
  });

  it("keeps DOMException's name", () => {
    const error = thrown(() => api.throwDomException()) as DOMException;
    expect(error).toBeInstanceOf(DOMException);
    expect(error.name).toBe("AbortError");
    expect(error.message).toBe("stopped");
  });
});

describe("custom error classes", () => {
  it("re-creates exported classes so instanceof holds", () => {
    const error = thrown(() => api.throwCustom()) as InstanceType<typeof api.AppError>;
    expect(error).toBeInstanceOf(api.AppError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AppError");
    expect(error.code).toBe("E_CUSTOM");
    expect(error.message).toBe("custom failure");
  });

  it("mirrors subclass relations", () => {
    const error = thrown(() => api.throwSubclass()) as Error;
    expect(error).toBeInstanceOf(api.NotFoundError);
    expect(error).toBeInstanceOf(api.AppError);
    expect(error.name).toBe("NotFoundError");
    expect((error as { code?: string }).code).toBe("E_NOT_FOUND");
    expect(Object.getPrototypeOf(api.NotFoundError)).toBe(api.AppError);
  });

  it("keeps the built-in base of a custom class", () => {
    const error = thrown(() => api.throwValidation()) as Error;
    expect(error).toBeInstanceOf(api.ValidationError);
    expect(error).toBeInstanceOf(RangeError);
    expect(error.name).toBe("ValidationError");
  });

  it("keeps the name and built-in base of a class that is not exported", () => {
    const error = thrown(() => api.throwInternal()) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.name).toBe("InternalError");
    expect(error.message).toBe("hidden class");
  });

  it("lets the caller construct exported error classes and send them to the worker as themselves", () => {
    const local = new api.AppError("made here", "E_LOCAL");
    expect(local).toBeInstanceOf(api.AppError);
    const seen = api.inspectError(local);
    expect(seen).toEqual({ isAppError: true, name: "AppError", code: "E_LOCAL", isTypeError: false });
    expect(api.inspectError(new TypeError("t"))).toEqual({ isAppError: false, name: "TypeError", code: undefined, isTypeError: true });
  });
});

describe("fields and causes", () => {
  it("keeps own enumerable fields such as code and errno", () => {
    const error = thrown(() => api.throwWithFields()) as Error & Record<string, unknown>;
    expect(error.code).toBe("ENOENT");
    expect(error.errno).toBe(-2);
    expect(error.details).toEqual({ path: "/nope" });
  });

  it("keeps cause recursively, with classes", () => {
    const error = thrown(() => api.throwWithCause()) as Error;
    expect(error.message).toBe("top");
    const middle = error.cause as Error & { code: string };
    expect(middle).toBeInstanceOf(api.AppError);
    expect(middle.code).toBe("E_MIDDLE");
    const root = middle.cause as Error;
    expect(root).toBeInstanceOf(RangeError);
    expect(root.message).toBe("root cause");
  });
});

describe("non-Error throws arrive as thrown", () => {
  it("a string", () => {
    expect(thrown(() => api.throwString())).toBe("a plain string");
  });
  it("a plain object", () => {
    expect(thrown(() => api.throwObject())).toEqual({ reason: "plain object", status: 418 });
  });
  it("undefined", async () => {
    expect(await rejected(api.throwUndefined.aio())).toBeUndefined();
  });
});

describe("stack traces", () => {
  it("show the implementation's frames then the caller's, without the library's", () => {
    const error = thrown(function callerFrameMarker() {
      return api.throwDeep(2);
    }) as Error;
    const stack = error.stack!;
    expect(stack).toMatch(/^Error: deep failure/);
    expect(stack).toContain("fixtures/errors.js");
    expect(stack).toContain("callerFrameMarker");
    expect(stack.indexOf("fixtures/errors.js")).toBeLessThan(stack.indexOf("callerFrameMarker"));
    expect(stack).not.toMatch(/[\\/](dist|src)[\\/](cjs[\\/]|esm[\\/])?(caller|worker|protocol)[\\/]/);
    expect(stack).not.toContain("node:internal/process/task_queues");
  });

  it("include the awaiting caller's frames for .aio", async () => {
    async function asyncCallerMarker() {
      return await api.throwCustom.aio();
    }
    const error = (await rejected(asyncCallerMarker())) as Error;
    expect(error.stack).toContain("fixtures/errors.js");
    expect(error.stack).toContain("asyncCallerMarker");
    expect(error.stack).not.toMatch(/[\\/](dist|src)[\\/](cjs[\\/]|esm[\\/])?(caller|worker|protocol)[\\/]/);
  });

  it("keep the worker frames of causes, without the library's", () => {
    const error = thrown(() => api.throwWithCause()) as Error;
    const middle = error.cause as Error;
    expect(middle.stack).toContain("fixtures/errors.js");
    expect(middle.stack).not.toMatch(/[\\/](dist|src)[\\/](cjs[\\/]|esm[\\/])?(caller|worker|protocol)[\\/]/);
  });
});

describe("the synchronizer stays usable", () => {
  it("after many errors of every kind", async () => {
    for (let i = 0; i < 20; i++) {
      expect(() => api.throwCustom()).toThrow(api.AppError);
      await expect(api.throwString.aio()).rejects.toBe("a plain string");
    }
    expect(api.inspectError(new Error("x")).name).toBe("Error");
  });
});

describe("SYNCHRONICITY_DEBUG=1", () => {
  it("keeps the library's own frames in stacks, which are hidden by default", async () => {
    const stackOf = async (env: NodeJS.ProcessEnv) => {
      const result = await runNode(script("debug-stack.mjs"), [], { env, deadlineMs: 45_000 });
      // With debugging on, the library also logs each call to stderr; without, nothing.
      if (env["SYNCHRONICITY_DEBUG"] === "") expect(result.stderr).toBe("");
      return JSON.parse(result.stdout) as { implementation: boolean; caller: boolean; library: boolean };
    };
    expect(await stackOf({ SYNCHRONICITY_DEBUG: "" })).toEqual({ implementation: true, caller: true, library: false });
    expect(await stackOf({ SYNCHRONICITY_DEBUG: "1" })).toEqual({ implementation: true, caller: true, library: true });
  }, 120_000);
});

describe("the library's own errors", () => {
  it("each arrives with its class and its code, as the README lists them", async () => {
    const s = new Synchronizer({ shutdownTimeout: 0 });
    const basic = s.wrapModule<typeof import("./fixtures/basic.js")>(fixture("basic"));
    const faults = s.wrapModule<typeof import("./fixtures/faults.js")>(fixture("faults"));
    const released = new faults.Counter();
    release(released);
    const cases: Array<[new (...args: never[]) => Error, string, unknown]> = [
      [DataCloneError, "ERR_SYNCHRONICITY_DATA_CLONE", thrown(() => basic.echo(Symbol("s")))],
      [DataCloneError, "ERR_SYNCHRONICITY_DATA_CLONE", thrown(() => basic.returnsSymbol())],
      [TimeoutError, "ERR_SYNCHRONICITY_TIMEOUT", thrown(() => basic.square.with({ timeout: 10 })(2, 5_000))],
      [ReferenceLostError, "ERR_SYNCHRONICITY_REFERENCE", thrown(() => released.bump())],
      [ModuleLoadError, "ERR_SYNCHRONICITY_MODULE_LOAD", thrown(() => s.wrapModule<typeof import("./fixtures/basic.js")>(new URL("./missing.js", fixture("basic"))).add(1, 1))],
      [WorkerExitError, "ERR_SYNCHRONICITY_WORKER_EXIT", thrown(() => faults.exitWorker(3))],
    ];
    await s.close();
    cases.push([ClosedError, "ERR_SYNCHRONICITY_CLOSED", thrown(() => basic.add(1, 1))]);
    for (const [cls, code, error] of cases) {
      expect(error, code).toBeInstanceOf(cls);
      expect((error as { code?: string }).code, cls.name).toBe(code);
    }
    // DeadlockError and InterruptedError: callbacks.test.ts and signals.test.ts check their codes;
    // QueueFullError: pool.test.ts.
  });
});
