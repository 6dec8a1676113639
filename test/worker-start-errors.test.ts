// A preload of the worker's (in its flags or NODE_OPTIONS) that fails ends the worker before its
// loop runs: the caller gets the preload's own error, blocking or async (worker/boot-watch.ts).
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Synchronizer, TimeoutError, WorkerExitError } from "synchronicity-js";
import { fixture, thrown } from "./helpers.js";

type Api = typeof import("./fixtures/basic.js");
type Faults = typeof import("./fixtures/faults.js");
type Introspect = typeof import("./fixtures/introspect.js");
const preload = (name: string) => fileURLToPath(new URL(`./scripts/preloads/${name}`, import.meta.url));

const opened: Synchronizer[] = [];
const open = (execArgv: string[]) => {
  const synchronizer = new Synchronizer({ execArgv, timeout: 20_000 });
  opened.push(synchronizer);
  return synchronizer;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/** Run `fn` with process.env.NODE_OPTIONS set to `value` (undefined: unset), which the worker started inside inherits. */
function withNodeOptions<T>(value: string | undefined, fn: () => T): T {
  const saved = process.env["NODE_OPTIONS"];
  if (value === undefined) delete process.env["NODE_OPTIONS"];
  else process.env["NODE_OPTIONS"] = value;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env["NODE_OPTIONS"];
    else process.env["NODE_OPTIONS"] = saved;
  }
}

function expectStartFailure(error: unknown, text: RegExp): void {
  expect(error).toBeInstanceOf(WorkerExitError);
  expect((error as Error).message).toMatch(/while starting, in a preload or loader of its flags or NODE_OPTIONS/);
  expect((error as Error).message).toMatch(text);
  expect(((error as Error).cause as Error | undefined)?.message).toMatch(text);
}

describe("a worker whose preload fails", () => {
  it("--import: a blocking call fails with the preload's error as its cause", () => {
    const api = open(["--import", preload("throws.mjs")]).wrapModule<Api>(fixture("basic"));
    expectStartFailure(thrown(() => api.add(1, 2)), /preload failed: missing config/);
  });

  it("--require: the same for async code (importModule), with the error's class", async () => {
    const error = await open(["--require", preload("throws.cjs")])
      .importModule<Api>(fixture("basic"))
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expectStartFailure(error, /cjs preload failed/);
    expect(((error as Error).cause as Error).name).toBe("TypeError");
  });

  it("a preload that calls process.exit: its exit code", () => {
    const api = open(["--require", preload("exits.cjs")]).wrapModule<Api>(fixture("basic"));
    const error = thrown(() => api.add(1, 2)) as WorkerExitError;
    expect(error).toBeInstanceOf(WorkerExitError);
    expect(error.message).toMatch(/exited with code 7 while starting, in a preload/);
  });

  it("NODE_OPTIONS: the same, and the synchronizer stays usable once the preload is fixed", () => {
    const api = open([]).wrapModule<Api>(fixture("basic"));
    withNodeOptions(`--require ${preload("throws.cjs")}`, () => expectStartFailure(thrown(() => api.add(1, 2)), /cjs preload failed/));
    // The next call starts a new worker, with NODE_OPTIONS as it is now.
    expect(api.add(1, 2)).toBe(3);
  });

  it("a preload that never finishes: the module load times out (loadTimeout), saying the worker had not started", async () => {
    const synchronizer = new Synchronizer({ execArgv: ["--import", preload("hangs.mjs")], loadTimeout: 1000 });
    opened.push(synchronizer);
    const notStarted = /did not finish loading within 1000 ms \(options.loadTimeout\): the worker thread had not even started/;
    const error = thrown(() => synchronizer.wrapModule<Api>(fixture("basic")).add(1, 2));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(notStarted);
    await expect(synchronizer.importModule<Api>(fixture("basic"))).rejects.toThrow(notStarted);
  });

  it("a preload that works changes nothing the implementation sees: process.execArgv is the user's flags", () => {
    const flags = ["--require", preload("fine.cjs"), "--no-warnings"];
    const introspect = withNodeOptions(undefined, () => open(flags).wrapModule<Introspect>(fixture("introspect")).whereAmI());
    expect(introspect.execArgv).toEqual(flags);
  });

  it("... and NODE_OPTIONS is the user's (what the worker's child processes inherit)", () => {
    const nodeOptions = `--require ${preload("fine.cjs")}`;
    const seen = withNodeOptions(nodeOptions, () => open([]).wrapModule<{ nodeOptions(): string | undefined }>(new URL("./scripts/preloads/env.mjs", import.meta.url)).nodeOptions());
    expect(seen).toBe(nodeOptions);
  });

  it("a preload that works changes nothing: a later uncaught error is reported as usual", () => {
    const synchronizer = open(["--require", preload("fine.cjs")]);
    const api = synchronizer.wrapModule<Api>(fixture("basic"));
    expect(api.add(1, 2)).toBe(3);
    const faults = synchronizer.wrapModule<Faults>(fixture("faults"));
    const error = thrown(() => faults.throwUncaught("boom")) as WorkerExitError;
    expect(error).toBeInstanceOf(WorkerExitError);
    expect(error.message).toMatch(/the worker stopped on an uncaught error \(.*boom\)/);
    expect(error.message).not.toMatch(/while starting/);
  });
});
