/**
 * The worker's request loop: every request from the caller becomes a task on this thread's event
 * loop, so many calls run concurrently, and each reply is posted with the request's id as soon as
 * its task settles.
 */
import type { Message, PackedFields, Request, RequestOp, StepReply, Target, UndeliverableNotice, WorkerStats } from "../protocol/messages.js";
import { countIds, pack, receiveFailure, unpack } from "../protocol/packing.js";
import type { ClassShape, ModuleShape } from "../protocol/shapes.js";
import type { WorkerTransport } from "../protocol/transport.js";
import { decodeValue, describeType, encodeValue, findUncloneable, isStackOverflow, messageOf, type DecodeHooks, type EncodeHooks } from "../protocol/values.js";
import { isError, withCopyableFields } from "../protocol/errors.js";
import { DataCloneError, InterruptedError, ReferenceLostError } from "../errors.js";
import { markUncopyableExports, Modules } from "./modules.js";
import { implementationBehind } from "../in-place-registry.js";
import { Registry } from "./registry.js";
import { HandleTable } from "../protocol/handle-table.js";
import { sendIterator, workerDecodeHooks, workerEncodeHooks, type WorkerTables } from "./codec.js";
import { isIteratorLike, type RemoteIteration } from "./iterators.js";
import { memberKey } from "./members.js";
import { callStorage, CallState } from "./call-context.js";
import { CallerFunctions } from "./callbacks.js";
import { Disposals } from "./disposal.js";

type RequestOf<Op extends Request["op"]> = Extract<Request, { op: Op }>;
type Callable = (...args: unknown[]) => unknown;

/** The extra fields of a message whose payload needs none (most messages). */
const NO_EXTRA = Object.freeze({});

export class Dispatcher {
  private readonly tables: WorkerTables = { registry: new Registry(), handles: new HandleTable(), iterations: new WeakMap() };
  private readonly modules = new Modules(this.tables.registry);
  private readonly disposals = new Disposals();
  private readonly encodeHooks: EncodeHooks = workerEncodeHooks(this.tables);
  private readonly decodeHooks: DecodeHooks = workerDecodeHooks(this.tables, (id) => this.callerFunctions.proxy(id));
  /** Requests in progress, by the caller's id: the controller that aborts each, and its end. */
  private readonly running = new Map<number, { controller: CallState; settled: Promise<void> }>();
  private readonly callerFunctions = new CallerFunctions({
    request: (id, op) => this.postRequest(id, op),
    decode: (reply) => this.receivePayload(reply, reply.ok ? reply.value : reply.error, "the callback's result"),
  });

  constructor(private readonly transport: WorkerTransport) {}

  start(): void {
    this.transport.listen((message) => this.onMessage(message));
  }

  /**
   * Nothing the caller sends may end this thread: a request that fails before its task starts
   * (a value that cannot be decoded, such as a reference to a released object in an abort
   * reason) is answered with its error, or dropped if it has no reply (cancel, release).
   */
  private onMessage(message: Message | UndeliverableNotice): void {
    // A message this thread could not deserialize (see shm/ring.ts): the caller knows which calls are pending.
    if (message.t === "undeliverable") {
      this.postRequest(0, { op: "undeliverable", reason: messageOf(message.error) });
      return;
    }
    try {
      this.route(message);
    } catch (error) {
      if (message.t === "req" && message.id !== 0) this.replyError(message.id, error);
    }
  }

  private route(message: Message): void {
    if (message.t === "res") {
      this.callerFunctions.settle(message);
      return;
    }
    switch (message.op) {
      case "import":
        // One constant that cannot be copied must not break the module: it alone is marked.
        this.run(message, "the module's exports", () => this.importModule(message), (shape) => this.retryableShape(shape as ModuleShape));
        return;
      case "call": {
        const fn = this.exportedFunctionNow(message.target);
        if (fn !== undefined) this.callNow(message, fn);
        else this.run(message, `the return value of ${describeTarget(message.target)}`, () => this.call(message));
        return;
      }
      case "construct":
        this.run(message, `the new ${describeTarget(message.target, "")}`, () => this.construct(message));
        return;
      case "get":
        this.run(message, `the value of ${describeTarget(message.target, "")}`, () => this.get(message));
        return;
      case "set":
        this.run(message, "the assignment", () => this.set(message));
        return;
      case "start":
        this.run(message, `a value yielded by ${describeTarget(message.target)}`, () => this.startIteration(message), undefined, true);
        return;
      case "iter":
        this.run(message, "a yielded value", () => this.stepIteration(message), undefined, true);
        return;
      case "stats":
        this.run(message, "the statistics", async () => this.stats());
        return;
      case "shutdown":
        this.run(message, "the shutdown report", () => this.shutdown(message));
        return;
      case "release":
        for (const [id, received] of message.handles) this.tables.handles.release(id, received);
        return;
      case "undeliverable":
        // Made by this thread's transport: pass it on, the caller knows which calls are pending.
        this.postRequest(0, message);
        return;
      case "cancel": {
        const task = this.running.get(message.call);
        if (task === undefined) return;
        let reason: unknown;
        try {
          reason = this.decode(message, message.reason);
        } catch (error) {
          reason = error; // still abort: the caller has given up on this call
        }
        task.controller.abort(reason);
        return;
      }
      default:
        this.replyError(message.id, new ReferenceLostError(`this worker does not handle "${message.op}" requests`));
    }
  }

  /**
   * Run one request as a task of its own, inside its call context (its id and AbortSignal, see
   * call-context.ts), and post the reply when it settles.
   */
  private run(request: Request, what: string, task: () => Promise<unknown>, fallback?: (value: unknown) => unknown, step = false): void {
    const controller = new CallState(request.id);
    callStorage.run(controller, () => {
      const settled = task().then(
        (value) => {
          this.running.delete(request.id);
          if (step) this.replyStep(request, value as StepReply, what);
          else this.replyValue(request.id, value, what, fallback);
        },
        (error: unknown) => {
          this.running.delete(request.id);
          this.replyError(request.id, error);
        },
      ).catch((error: unknown) => this.replyLastResort(request.id, error));
      this.running.set(request.id, { controller, settled });
    });
  }

  /**
   * The hot path of `run` for the most common request, a call of a function exported by a module
   * already loaded: no awaits before the call, and a synchronous function's reply is posted at
   * once. What it does is what `run(request, ..., () => this.call(request))` does.
   */
  private callNow(request: RequestOf<"call">, fn: Callable): void {
    const id = request.id;
    const state = new CallState(id);
    let result: unknown;
    try {
      result = callStorage.run(state, Reflect.apply, fn, undefined, this.decode(request, request.args));
    } catch (error) {
      this.replyError(id, error);
      return;
    }
    const what = () => `the return value of ${describeTarget(request.target)}`;
    if ((typeof result !== "object" || result === null) && typeof result !== "function") {
      this.replyValue(id, result, what);
      return;
    }
    const settled = callStorage.run(state, settledResult, result, what).then(
      (value) => {
        this.running.delete(id);
        this.replyValue(id, value, what);
      },
      (error: unknown) => {
        this.running.delete(id);
        this.replyError(id, error);
      },
    ).catch((error: unknown) => this.replyLastResort(id, error));
    this.running.set(id, { controller: state, settled });
  }

  /** A module's exported function, if it can be found without waiting (its module is loaded). */
  private exportedFunctionNow(target: Target): Callable | undefined {
    if (!("module" in target) || target.member !== undefined) return undefined;
    const module = this.modules.readyNow(target.module);
    // A namespace has a null prototype: a name it does not export reads as undefined, and the
    // general path reports it. (hasOwnProperty on a namespace object is slow.)
    const exported = module?.namespace[target.name];
    if (typeof exported !== "function") return undefined;
    return implementationBehind(exported) as Callable;
  }

  /**
   * The end of the worker (process exit, or close()): abort every task in flight, close every
   * iterator and dispose every object the caller still holds (newest first, like `using`), and
   * wait for all of it, at most `timeoutMs`.
   */
  private async shutdown(request: RequestOf<"shutdown">): Promise<{ aborted: number; disposed: number }> {
    const reason = new InterruptedError("the synchronizer is shutting down");
    const work: Array<Promise<unknown>> = [];
    for (const [id, task] of this.running) {
      if (id === request.id) continue;
      task.controller.abort(reason);
      work.push(task.settled);
    }
    const aborted = work.length;
    for (const entry of [...this.tables.handles.values()].reverse()) {
      const value = entry.value as Record<symbol, unknown>;
      const iteration = this.tables.iterations.get(value);
      if (iteration !== undefined) work.push(iteration.close());
      else if (!this.disposals.claim(value)) continue; // the caller disposed it already
      else if (typeof value[Symbol.asyncDispose] === "function") work.push(Promise.resolve().then(() => (value[Symbol.asyncDispose] as () => unknown).call(value)));
      else if (typeof value[Symbol.dispose] === "function") work.push(Promise.resolve().then(() => (value[Symbol.dispose] as () => unknown).call(value)));
    }
    let timer: NodeJS.Timeout | undefined;
    // Infinity (no limit) arms no timer: a timer beyond 2^31-1 ms would fire at once.
    const limit = request.timeoutMs === Infinity ? new Promise(() => {}) : new Promise((resolve) => (timer = setTimeout(resolve, Math.min(request.timeoutMs, 2 ** 31 - 1))));
    await Promise.race([Promise.allSettled(work), limit]);
    clearTimeout(timer);
    return { aborted, disposed: work.length - aborted };
  }

  /** The module's shape with its uncopyable constants marked, its classes described again (the failed post took their descriptions). */
  private retryableShape(shape: ModuleShape): ModuleShape {
    for (const exported of Object.values(shape.exports)) if (exported.kind === "class") this.tables.registry.describeAgain(exported.cls);
    return markUncopyableExports(shape, sentByReference);
  }

  private stats(): WorkerStats {
    const self = callStorage.getStore()?.id;
    const running = this.running.size - (self !== undefined && this.running.has(self) ? 1 : 0);
    return { handles: this.tables.handles.size, running, heapUsed: process.memoryUsage().heapUsed };
  }

  private decode<T>(request: Request, value: T): T {
    return this.receivePayload(request, value, "the value sent") as T;
  }

  /**
   * A payload from the caller, unpacked and decoded. If this thread cannot take it in, a
   * DataCloneError for this request alone, and the caller's functions it carries are released.
   */
  private receivePayload(message: Message, payload: unknown, what: string): unknown {
    let value: unknown;
    try {
      value = unpack(payload, message.packed, what);
    } catch (error) {
      if (message.carried !== undefined && message.carried.length > 0) this.postRequest(0, { op: "release", handles: message.carried });
      throw error;
    }
    try {
      return message.encoded ? decodeValue(value, this.decodeHooks) : value;
    } catch (error) {
      throw isStackOverflow(error) ? receiveFailure(what, error) : error;
    }
  }

  private async importModule(request: RequestOf<"import">): Promise<unknown> {
    const module = await this.modules.load(request.module, request.specifier, request.inPlace === true, request.setup === true);
    return this.modules.describe(module);
  }

  private async call(request: RequestOf<"call">): Promise<unknown> {
    const { fn, thisArg } = await this.resolveCallable(request.target);
    // A second dispose of the same object (using, then close) does nothing.
    if (Disposals.isDisposeCall(request.target) && !this.disposals.claim(thisArg as object)) return undefined;
    return await settledResult(Reflect.apply(fn, thisArg, this.decode(request, request.args)), `the return value of ${describeTarget(request.target)}`);
  }

  private async construct(request: RequestOf<"construct">): Promise<unknown> {
    const { fn } = await this.resolveCallable(request.target);
    return Reflect.construct(fn, this.decode(request, request.args));
  }

  /** Read a property: an export, a static member, or a member of an object (getters run here, and are awaited). */
  private async get(request: RequestOf<"get">): Promise<unknown> {
    const { owner, key } = await this.resolveMember(request.target);
    return await settledResult((owner as Record<string | symbol, unknown>)[key], `the value of ${describeTarget(request.target, "")}`);
  }

  private async set(request: RequestOf<"set">): Promise<void> {
    const { owner, key } = await this.resolveMember(request.target);
    (owner as Record<string | symbol, unknown>)[key] = this.decode(request, request.value);
  }

  /** The object a target names a member of, and the member's key. */
  private async resolveMember(target: Target): Promise<{ owner: object; key: string | symbol; label: string }> {
    if ("module" in target) {
      const module = await this.modules.get(target.module);
      if (target.member === undefined) return { owner: module.namespace, key: target.name, label: target.name };
      const owner = Modules.exportOf(module, target.name) as object;
      return { owner, key: memberKey(target.member), label: `${target.name}.${target.member}` };
    }
    const owner = this.handle(target.handle);
    if (target.name === null) throw new TypeError("a member name is needed here");
    return { owner, key: memberKey(target.name), label: target.name };
  }

  private handle(id: number): object {
    const value = this.tables.handles.get(id);
    if (value === undefined) throw new ReferenceLostError(`object #${id} is no longer available in the worker (it was released)`);
    return value;
  }

  /** Call a generator function and take the first step in the same round trip. */
  private async startIteration(request: RequestOf<"start">): Promise<StepReply> {
    const { fn, thisArg } = await this.resolveCallable(request.target);
    const returned: unknown = Reflect.apply(fn, thisArg, this.decode(request, request.args));
    const iterator = asSteppable(returned);
    if (iterator === undefined) {
      throw new TypeError(`${describeTarget(request.target)} did not return an iterator (it returned ${describeType(returned)})`);
    }
    const id = sendIterator(this.tables, iterator);
    const reply = await this.iteration(id).step("next", undefined, request.readAhead ?? 0);
    return { ...reply, iterator: id };
  }

  private stepIteration(request: RequestOf<"iter">): Promise<StepReply> {
    return this.iteration(request.iterator).step(request.how, this.decode(request, request.value), request.readAhead ?? 0);
  }

  private iteration(id: number): RemoteIteration {
    const iterator = this.tables.handles.get(id);
    const iteration = iterator === undefined ? undefined : this.tables.iterations.get(iterator);
    if (iteration === undefined) throw new ReferenceLostError(`iterator #${id} is no longer available in the worker (it finished or was released)`);
    return iteration;
  }

  private async resolveCallable(target: Target): Promise<{ fn: Callable; thisArg: unknown }> {
    if ("handle" in target && target.name === null) {
      const fn = this.handle(target.handle);
      if (typeof fn !== "function") throw new TypeError(`object #${target.handle} is not a function`);
      return { fn: fn as Callable, thisArg: undefined };
    }
    if ("module" in target && target.member === undefined) {
      const module = await this.modules.get(target.module);
      const fn = Modules.exportOf(module, target.name);
      if (typeof fn !== "function") {
        throw new TypeError(`export "${target.name}" of ${module.specifier} is not a function (it is ${describeType(fn)})`);
      }
      return { fn: fn as Callable, thisArg: undefined };
    }
    const { owner, key, label } = await this.resolveMember(target);
    const fn = (owner as Record<string | symbol, unknown>)[key];
    if (typeof fn !== "function") throw new TypeError(`${label} is not a method (it is ${describeType(fn)})`);
    return { fn: fn as Callable, thisArg: owner };
  }

  /** Post a value; if it cannot be copied, post `fallback(value)` instead when given, else the error. */
  private replyValue(id: number, value: unknown, what: string | (() => string), fallback?: (value: unknown) => unknown): void {
    try {
      this.postReply(id, true, value);
    } catch (error) {
      try {
        if (fallback === undefined) throw error;
        this.postReply(id, true, fallback(value));
      } catch {
        this.replyError(id, cloneFailure(typeof what === "string" ? what : what(), value, error));
      }
    }
  }

  /**
   * A step reply that cannot be copied because of one item (read-ahead batches several): the items
   * before it are still delivered, then the DataCloneError, as lockstep iteration would give them.
   */
  private replyStep(request: Request, reply: StepReply, what: string): void {
    const id = request.id;
    try {
      this.postReply(id, true, reply);
      return;
    } catch (error) {
      const bad = reply.values.findIndex((value) => !this.copyable(value));
      const failure = cloneFailure(what, bad === -1 ? reply : reply.values[bad], error);
      // For the caller the iteration ends with this error, as if the generator had thrown it; so it
      // does here too: the generator is closed (its finally runs) and dropped from the table.
      const iteratorId = reply.iterator ?? (request.op === "iter" ? request.iterator : undefined);
      const iteration = iteratorId === undefined ? undefined : this.tables.iterations.get(this.tables.handles.get(iteratorId) ?? {});
      void iteration?.close();
      try {
        const values = bad === -1 ? reply.values : reply.values.slice(0, bad);
        this.postReply(id, true, { ...(reply.iterator !== undefined && { iterator: reply.iterator }), values, threw: true, error: failure });
      } catch {
        this.replyError(id, failure);
      }
    }
  }

  /** Whether `value` can be sent, found by encoding and cloning it without posting (nothing stays registered). */
  private copyable(value: unknown): boolean {
    const { registry, handles } = this.tables;
    handles.beginMessage();
    try {
      structuredClone(encodeValue(value, this.encodeHooks).value);
      return true;
    } catch {
      return false;
    } finally {
      handles.endMessage(false);
      registry.unsend(registry.takeDefs());
    }
  }

  private replyError(id: number, error: unknown): void {
    try {
      this.postReply(id, false, error);
      return;
    } catch (failure) {
      try {
        // An error with a field that cannot be copied: send it with that field described instead.
        if (typeof error === "object" && error !== null && isError(error)) {
          this.postReply(id, false, withCopyableFields(error));
          return;
        }
      } catch {
        // Still not copyable: fall through.
      }
      // The thrown value itself cannot be copied: say so, with an error that always can be.
      try {
        this.postReply(id, false, cloneFailure("the thrown value", error, failure));
      } catch (last) {
        this.replyLastResort(id, last);
      }
    }
  }

  /** A reply must reach the caller whatever happened: a DataCloneError made of strings only. */
  private replyLastResort(id: number, error: unknown): void {
    try {
      this.postReply(id, false, new DataCloneError(`the reply could not be copied to the other thread (${messageOf(error)})`));
    } catch {
      // Only a transport that is gone fails here; the worker's exit then reaches the caller.
    }
  }

  /** Post a request to the caller (a callback, or a release of callbacks). */
  private postRequest(id: number, op: RequestOp): void {
    if (op.op === "callback") this.postEncoded(op.args, (args, extra) => ({ t: "req", id, ...op, args: args as unknown[], ...extra }));
    else this.postEncoded(undefined, (_, extra) => ({ t: "req", id, ...op, ...extra }));
  }

  /** Encode and post one reply; throws (having sent nothing) when the payload cannot be copied. */
  private postReply(id: number, ok: boolean, payload: unknown): void {
    this.postEncoded(payload, (value, extra) => (ok ? { t: "res", id, ok: true, value, ...extra } : { t: "res", id, ok: false, error: value, ...extra }));
  }

  /**
   * Encode `payload`, build the message around it and post it. If it cannot be posted, it throws
   * and nothing was sent: the handles and class descriptions registered while encoding are undone.
   */
  private postEncoded(payload: unknown, build: (value: unknown, extra: { encoded?: true; defs?: ClassShape[] } & PackedFields) => Message): void {
    const { registry, handles } = this.tables;
    handles.beginMessage();
    let posted = false;
    let defs: ClassShape[] | undefined;
    try {
      const { value, encoded, deep } = encodeValue(payload, this.encodeHooks);
      defs = registry.takeDefs();
      // Deep values travel packed: see protocol/packing.ts.
      const packed = deep ? pack(value) : undefined;
      const extra = !encoded && defs === undefined && packed === undefined ? NO_EXTRA : {
        ...(encoded && { encoded: true as const }),
        ...(defs && { defs }),
        ...(packed !== undefined && { packed: true as const, carried: countIds(handles.journaled()) }),
      };
      this.transport.post(build(packed ?? value, extra));
      posted = true;
    } finally {
      handles.endMessage(posted);
      if (!posted) registry.unsend(defs ?? registry.takeDefs());
    }
  }
}

/**
 * What a result settles to. `await` reads `then` from any object, which throws for a revoked Proxy
 * or a throwing trap: that is a value that cannot be sent, not an error of the implementation.
 */
async function settledResult(value: unknown, what: string | (() => string)): Promise<unknown> {
  if ((typeof value === "object" && value !== null) || typeof value === "function") {
    let then: unknown;
    try {
      then = (value as { then?: unknown }).then;
    } catch (error) {
      throw cloneFailure(typeof what === "string" ? what : what(), value, error);
    }
    if (typeof then !== "function") return value;
  }
  return await value;
}

/**
 * What a generator function or an iteration method returned, as something to step. An object with
 * a `next` method that is not a generator (a hand-written iterator, often the object itself:
 * `[Symbol.asyncIterator]() { return this }`) is stepped through a view of its own, so that the
 * iteration gets its own handle and finishing it never drops the object.
 */
function asSteppable(value: unknown): object | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (isIteratorLike(value)) return value;
  const iterator = value as { next?: unknown; return?: unknown; throw?: unknown };
  if (typeof iterator.next !== "function") return undefined;
  const call = (name: "next" | "return" | "throw") => {
    const method = iterator[name];
    return typeof method === "function" ? (arg: unknown) => Reflect.apply(method, value, [arg]) : undefined;
  };
  return { next: call("next"), ...(call("return") && { return: call("return") }), ...(call("throw") && { throw: call("throw") }) };
}

function describeTarget(target: Target, suffix = "()"): string {
  if ("module" in target) return `${target.name}${target.member === undefined ? "" : `.${target.member}`}${suffix}`;
  return target.name === null ? "the function" : `${target.name}${suffix}`;
}

/** What the worker sends as a reference or a marker, never by structured clone. */
function sentByReference(value: object): boolean {
  return typeof value === "function" || isError(value) || isIteratorLike(value) || Registry.isUserInstance(value);
}

/** A DataCloneError that says which part of which value could not be copied. */
export function cloneFailure(what: string, value: unknown, error: unknown): DataCloneError {
  if (isStackOverflow(error)) {
    return new DataCloneError(`${what} is nested too deeply to be copied to the other thread`, { position: what, cause: error });
  }
  // What the worker sends by reference (functions, objects of user classes, iterators) is not the problem.
  const found = findUncloneable(value, (v) => typeof v === "function" || isIteratorLike(v) || Registry.isUserInstance(v));
  const where = found && found.path ? `${what}, at ${found.path},` : what;
  const type = describeType(found ? found.value : value);
  const reason = messageOf(error);
  return new DataCloneError(`${where} could not be copied to the other thread: it is ${type} (${reason})`, {
    position: what,
    cause: error,
  });
}
