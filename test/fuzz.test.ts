// Model-based fuzz test (issue 9): random programs of operations run against a real synchronizer
// and a simple model of what must happen. Every step checks its own result, that nothing hangs
// (each wait has a deadline), and then that the worker's handle table and the caller's proxies
// match the objects the program still holds, with nothing pending and no task left running.
//
// `npm test` runs a few short programs (fixed seed in CI, FC_SEED to replay); `npm run soak` runs
// many long ones (FUZZ_RUNS, FUZZ_COMMANDS). The number of programs run is counted and checked, so
// an interrupted run cannot pass silently.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClosedError, ReferenceLostError, Synchronizer, TimeoutError, WorkerExitError, release } from "synchronicity-js";
import { fixture } from "./helpers.js";

type Impl = typeof import("./fixtures/fuzz.js");
type Api = ReturnType<Synchronizer["wrapModule"]> & import("synchronicity-js").Api<Impl>;
type BoxProxy = ReturnType<Api["makeBox"]>;

const numRuns = Number(process.env["FUZZ_RUNS"] ?? 4);
const maxCommands = Number(process.env["FUZZ_COMMANDS"] ?? 18);
const seed = process.env["FC_SEED"] !== undefined ? Number(process.env["FC_SEED"]) : process.env["CI"] ? 20261201 : undefined;
/** Any single wait longer than this is a hang. Generous: the machine may be very busy. */
const HANG_MS = 30_000;

interface Model {
  /** Worker objects the program holds (boxes not released and not lost with a worker). */
  objects: number;
  closed: boolean;
}

interface HeldBox {
  readonly proxy: BoxProxy;
  readonly value: unknown;
  /** Its worker died after it was made: using it must throw ReferenceLostError. */
  lost: boolean;
}

interface Real {
  readonly synchronizer: Synchronizer;
  readonly api: Api;
  readonly boxes: HeldBox[];
  steps: number;
}

type Form = "blocking" | "aio" | "future";
const forms: Form[] = ["blocking", "aio", "future"];

/** A promise that must settle within HANG_MS, or the step fails as a hang. */
async function settles<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hang: ${what} did not settle within ${HANG_MS} ms`)), HANG_MS)));
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Call `fn` in the given form and return its outcome; the blocking form runs synchronously here. */
async function callIn<A extends unknown[], R>(form: Form, fn: { (...args: A): R; aio(...args: A): Promise<R>; future(...args: A): { result(): R } & PromiseLike<R> }, args: A, what: string): Promise<R> {
  switch (form) {
    case "blocking":
      return fn(...args);
    case "aio":
      return await settles(fn.aio(...args), what);
    case "future": {
      const future = fn.future(...args);
      return args.length % 2 === 0 ? future.result() : await settles(Promise.resolve(future), what);
    }
  }
}

async function outcome(run: () => Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** After every step: nothing pending, no task running, handle tables match what the program holds. */
async function checkInvariants(model: Model, real: Real): Promise<void> {
  real.steps++;
  if (model.closed) return;
  const deadline = performance.now() + HANG_MS;
  for (;;) {
    const d = await settles(real.synchronizer.diagnostics(), "diagnostics()");
    const worker = d.worker;
    const openGenerators = worker === undefined ? 0 : await settles(real.api.openGenerators.aio(), "openGenerators()");
    const observed = { pending: d.caller.pendingCalls, running: worker?.running ?? 0, workerHandles: worker?.handles ?? 0, callerHandles: d.caller.handles, openGenerators };
    const expected = { pending: 0, running: 0, workerHandles: model.objects, callerHandles: model.objects, openGenerators: 0 };
    if (JSON.stringify(observed) === JSON.stringify(expected)) return;
    // Cancelled tasks and closing generators finish in the worker a moment after the caller moved on.
    if (performance.now() > deadline) expect(observed, `after step ${real.steps}`).toEqual(expected);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every command: when the synchronizer is closed, the operation must fail with a ClosedError. */
abstract class Step implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    if (model.closed) {
      const result = await outcome(() => this.act(model, real));
      expect(result.ok, `${this.toString()} after close()`).toBe(false);
      if (!result.ok) expect(result.error).toBeInstanceOf(ClosedError);
    } else {
      await this.act(model, real);
    }
    await checkInvariants(model, real);
  }
  abstract act(model: Model, real: Real): Promise<void>;
  abstract toString(): string;
}

class Echo extends Step {
  constructor(
    readonly form: Form,
    readonly value: unknown,
    readonly sync: boolean,
  ) {
    super();
  }
  async act(_: Model, real: Real) {
    const fn = this.sync ? real.api.echoSync : real.api.echo;
    const got = await callIn(this.form, fn as never, [this.value] as never, "echo");
    expect(got).toEqual(this.value);
  }
  toString() {
    return `echo${this.sync ? "Sync" : ""}.${this.form}(${fc.stringify(this.value)})`;
  }
}

class MakeBox extends Step {
  constructor(
    readonly form: Form,
    readonly value: number,
  ) {
    super();
  }
  async act(model: Model, real: Real) {
    const proxy = (await callIn(this.form, real.api.makeBox as never, [this.value] as never, "makeBox")) as BoxProxy;
    // The same object arrives as the same proxy; a new object as a new one.
    expect(real.boxes.some((box) => box.proxy === proxy)).toBe(false);
    real.boxes.push({ proxy, value: this.value, lost: false });
    model.objects++;
  }
  toString() {
    return `makeBox.${this.form}(${this.value})`;
  }
}

class UseBox extends Step {
  constructor(
    readonly pick: number,
    readonly async: boolean,
  ) {
    super();
  }
  override async run(model: Model, real: Real): Promise<void> {
    const box = real.boxes[this.pick % Math.max(1, real.boxes.length)];
    if (box === undefined) return;
    if (model.closed && box.lost) {
      // Lost with its worker, then closed: either reason is true.
      const result = await outcome(() => this.act(model, real));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error instanceof ClosedError || result.error instanceof ReferenceLostError).toBe(true);
      return;
    }
    await super.run(model, real);
  }
  async act(_: Model, real: Real) {
    const box = real.boxes[this.pick % real.boxes.length]!;
    const result = await outcome(async () => (this.async ? await settles(box.proxy.getLater.aio(), "getLater") : box.proxy.get()));
    if (box.lost) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toBeInstanceOf(ReferenceLostError);
    } else {
      if (!result.ok) throw result.error;
      expect(result.value).toEqual(box.value);
    }
  }
  toString() {
    return `box[${this.pick}].${this.async ? "getLater.aio" : "get"}()`;
  }
}

class ReleaseBox extends Step {
  constructor(readonly pick: number) {
    super();
  }
  async act(model: Model, real: Real) {
    if (real.boxes.length === 0) return;
    const [box] = real.boxes.splice(this.pick % real.boxes.length, 1);
    release(box!.proxy);
    if (!box!.lost) model.objects--;
  }
  override async run(model: Model, real: Real): Promise<void> {
    // release() is local bookkeeping; it works (does nothing) after close too.
    await this.act(model, real);
    await checkInvariants(model, real);
  }
  toString() {
    return `release(box[${this.pick}])`;
  }
}

class Iterate extends Step {
  constructor(
    readonly n: number,
    readonly stopAt: number,
    readonly readAhead: number,
    readonly async: boolean,
  ) {
    super();
  }
  async act(_: Model, real: Real) {
    const fn = this.readAhead > 0 ? real.api.count.with({ readAhead: this.readAhead }) : real.api.count;
    const seen: number[] = [];
    if (this.async) {
      await settles(
        (async () => {
          for await (const i of fn.aio(this.n)) {
            if (seen.length === this.stopAt) break;
            seen.push(i);
          }
        })(),
        "for await",
      );
    } else {
      for (const i of fn(this.n)) {
        if (seen.length === this.stopAt) break;
        seen.push(i);
      }
    }
    expect(seen).toEqual([...Array(Math.min(this.n, this.stopAt)).keys()]);
  }
  toString() {
    return `${this.async ? "for await" : "for...of"} count(${this.n}) readAhead ${this.readAhead}, stop at ${this.stopAt}`;
  }
}

class Callback extends Step {
  constructor(
    readonly x: number,
    readonly async: boolean,
  ) {
    super();
  }
  async act(_: Model, real: Real) {
    const calls: number[] = [];
    const got = this.async
      ? await settles(
          real.api.applyTwice.aio(async (v: number) => {
            calls.push(v);
            return v + 1;
          }, this.x),
          "applyTwice.aio",
        )
      : real.api.applyTwice((v: number) => {
          calls.push(v);
          return v * 2;
        }, this.x);
    expect(got).toBe(this.async ? this.x + 2 : this.x * 4);
    expect(calls).toEqual(this.async ? [this.x, this.x + 1] : [this.x, this.x * 2]);
  }
  toString() {
    return `applyTwice${this.async ? ".aio" : ""}(cb, ${this.x})`;
  }
}

class Timeout extends Step {
  constructor(readonly form: Form) {
    super();
  }
  async act(model: Model, real: Real) {
    const started = performance.now();
    const result = await outcome(() => callIn(this.form, real.api.nap.with({ timeout: 30 }) as never, [60_000] as never, "nap with timeout"));
    if (!result.ok && model.closed) throw result.error;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(HANG_MS);
  }
  toString() {
    return `nap.with({ timeout: 30 }).${this.form}(60000)`;
  }
}

class Cancel extends Step {
  constructor(readonly afterMs: number) {
    super();
  }
  async act(model: Model, real: Real) {
    const controller = new AbortController();
    const promise = real.api.nap.with({ signal: controller.signal }).aio(60_000);
    setTimeout(() => controller.abort(), this.afterMs);
    const result = await outcome(() => settles(promise, "cancelled nap"));
    if (!result.ok && model.closed) throw result.error;
    expect(result.ok).toBe(false);
    if (!result.ok) expect((result.error as Error).name).toBe("AbortError");
  }
  toString() {
    return `nap.aio(60000), aborted after ${this.afterMs} ms`;
  }
}

class Fail extends Step {
  constructor(
    readonly form: Form,
    readonly kind: "range" | "plain",
    readonly message: string,
  ) {
    super();
  }
  async act(model: Model, real: Real) {
    const result = await outcome(() => callIn(this.form, real.api.fail as never, [this.kind, this.message] as never, "fail"));
    if (!result.ok && model.closed) throw result.error;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(this.kind === "range" ? RangeError : Error);
    expect((result.error as Error).message).toBe(this.message);
  }
  toString() {
    return `fail.${this.form}(${this.kind}, ${JSON.stringify(this.message)})`;
  }
}

class PassBack extends Step {
  constructor(
    readonly pick: number,
    readonly async: boolean,
  ) {
    super();
  }
  override async run(model: Model, real: Real): Promise<void> {
    if (real.boxes.length === 0) return;
    await super.run(model, real);
  }
  async act(model: Model, real: Real) {
    const box = real.boxes[this.pick % real.boxes.length]!;
    const result = await outcome(async () => (this.async ? await settles(real.api.echo.aio(box.proxy), "echo.aio(proxy)") : real.api.echo(box.proxy)));
    if (!result.ok && model.closed) throw result.error;
    if (box.lost) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toBeInstanceOf(ReferenceLostError);
      return;
    }
    if (!result.ok) throw result.error;
    // Sent back, it is the worker's own object; returned again, the same proxy.
    expect(result.value).toBe(box.proxy);
    expect(real.api.isBox(box.proxy)).toBe(true);
  }
  toString() {
    return `echo${this.async ? ".aio" : ""}(box[${this.pick}])`;
  }
}

class LendIterator extends Step {
  constructor(readonly items: number[]) {
    super();
  }
  async act(_: Model, real: Real) {
    let closed = false;
    function* lent(items: number[]) {
      try {
        yield* items;
      } finally {
        closed = true;
      }
    }
    expect(real.api.sumOf(lent(this.items))).toBe(this.items.reduce((a, b) => a + b, 0));
    expect(closed).toBe(true);
  }
  toString() {
    return `sumOf(generator of ${JSON.stringify(this.items)})`;
  }
}

class CollectGarbage extends Step {
  async act() {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  override async run(model: Model, real: Real): Promise<void> {
    await this.act();
    await checkInvariants(model, real);
  }
  toString() {
    return "gc()";
  }
}

class KillWorker extends Step {
  async act(model: Model, real: Real) {
    const result = await outcome(async () => real.api.exit(3));
    if (!result.ok && model.closed) throw result.error;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBeInstanceOf(WorkerExitError);
    for (const box of real.boxes) box.lost = true;
    model.objects = 0;
  }
  toString() {
    return "exit(3) in the worker";
  }
}

class Close extends Step {
  override async run(model: Model, real: Real): Promise<void> {
    await settles(real.synchronizer.close(), "close()");
    model.closed = true;
    real.steps++;
  }
  async act() {}
  toString() {
    return "close()";
  }
}

const smallInt = fc.integer({ min: -1000, max: 1000 });
const form = fc.constantFrom(...forms);
const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.date({ noInvalidDate: true }), fc.bigInt(), fc.constant(undefined));

const commands = [
  fc.tuple(form, value, fc.boolean()).map(([f, v, s]) => new Echo(f, v, s)),
  fc.tuple(form, smallInt).map(([f, v]) => new MakeBox(f, v)),
  fc.tuple(fc.nat(), fc.boolean()).map(([p, a]) => new UseBox(p, a)),
  fc.nat().map((p) => new ReleaseBox(p)),
  fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 0, 1, 4), fc.boolean()).map(([n, s, r, a]) => new Iterate(n, s, r, a)),
  fc.tuple(smallInt, fc.boolean()).map(([x, a]) => new Callback(x, a)),
  form.map((f) => new Timeout(f)),
  fc.integer({ min: 0, max: 20 }).map((ms) => new Cancel(ms)),
  fc.tuple(form, fc.constantFrom("range" as const, "plain" as const), fc.string({ maxLength: 20 })).map(([f, k, m]) => new Fail(f, k, m)),
  fc.tuple(fc.nat(), fc.boolean()).map(([p, a]) => new PassBack(p, a)),
  fc.array(smallInt, { maxLength: 6 }).map((items) => new LendIterator(items)),
  fc.constant(new CollectGarbage()),
  fc.constant(new KillWorker()),
  fc.constant(new Close()),
];

describe("model-based fuzz", () => {
  it(`${numRuns} random programs of up to ${maxCommands} operations behave as the model says`, async () => {
    let programs = 0;
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands }), async (program) => {
        programs++;
        const synchronizer = new Synchronizer({ timeout: HANG_MS, shutdownTimeout: 500 });
        const real: Real = { synchronizer, api: synchronizer.wrapModule<Impl>(fixture("fuzz")) as Api, boxes: [], steps: 0 };
        try {
          await fc.asyncModelRun(() => ({ model: { objects: 0, closed: false }, real }), program);
        } finally {
          steps += real.steps;
          await synchronizer.close();
        }
      }),
      { numRuns, endOnFailure: true, ...(seed !== undefined && { seed }) },
    );
    // fast-check may stop early (a failure ends the run with an error above); a silent stop may not pass.
    expect(programs).toBe(numRuns);
    expect(steps).toBeGreaterThan(0);
  }, 600_000);
});
