/**
 * The worker's request loop: every request from the caller becomes a task on this thread's event
 * loop, so many calls run concurrently, and each reply is posted with the request's id as soon as
 * its task settles. What each task does is in operations.ts; the requests served without a task,
 * in immediate.ts.
 */
import type { Message, Request, RequestOf, StepReply, UndeliverableNotice, WorkerStats } from "../protocol/messages.js";
import { receiveFailure, unpack } from "../protocol/packing.js";
import { CALLER_REFERENCES, carriedIds } from "../protocol/carried.js";
import type { ModuleShape } from "../protocol/shapes.js";
import type { WorkerTransport } from "../protocol/transport.js";
import type { EncodeHooks } from "../protocol/values.js";
import { decodeValue, type DecodeHooks } from "../protocol/value-decoding.js";
import { isStackOverflow, messageOf } from "../protocol/describe.js";
import { InterruptedError, ReferenceLostError } from "../errors.js";
import { markUncopyableExports, Modules } from "./modules.js";
import { Registry } from "../protocol/registry.js";
import { HandleTable } from "../protocol/handle-table.js";
import { workerDecodeHooks, workerEncodeHooks, type WorkerTables } from "./codec.js";
import { callStorage, CallState, inCall, trackCalls } from "./call-context.js";
import { UntrackedTasks } from "./untracked.js";
import { CallerFunctions } from "./callbacks.js";
import { Disposals } from "./disposal.js";
import { Replies, sentByReference } from "./replies.js";
import { ImmediateRequests, type RunningTasks } from "./immediate.js";
import { describeTarget, Targets } from "./targets.js";
import { Operations } from "./operations.js";

export class Dispatcher {
  private readonly tables: WorkerTables = {
    registry: new Registry(),
    handles: new HandleTable(),
    iterations: new WeakMap(),
    background: (delta) => this.transport.background(delta),
  };
  private readonly modules = new Modules(this.tables.registry);
  private readonly disposals = new Disposals();
  private readonly encodeHooks: EncodeHooks = workerEncodeHooks(this.tables);
  private readonly decodeHooks: DecodeHooks = workerDecodeHooks(this.tables, (id) => this.callerFunctions.proxy(id));
  /** Requests in progress, by the caller's id: the controller that aborts each, and its end. */
  private readonly running: RunningTasks = new Map();
  /** Messages carrying the caller's functions whose payload was read (see releaseUntaken). */
  private readonly takenIn = new WeakSet<Message>();
  private readonly untracked = new UntrackedTasks(this.running);
  private readonly callerFunctions = new CallerFunctions({
    request: (id, op) => this.replies.postRequest(id, op),
    decode: (reply) => this.receivePayload(reply, reply.ok ? reply.value : reply.error, "the callback's result"),
    untrackedOrigins: () => this.untracked.origins(),
  });

  private readonly replies: Replies;
  private readonly targets = new Targets(this.modules, this.tables);

  private readonly immediate: ImmediateRequests;
  private readonly operations = new Operations(this.modules, this.targets, this.tables, this.disposals, (request, value) => this.decode(request, value));

  constructor(private readonly transport: WorkerTransport) {
    this.replies = new Replies(transport, this.tables, this.encodeHooks);
    this.immediate = new ImmediateRequests(this.replies, this.running, this.targets, (request, value) => this.decode(request, value));
  }

  start(): void {
    this.transport.listen((message) => this.onMessage(message), () => this.running.size === 0);
  }

  /**
   * Nothing the caller sends may end this thread: a request that fails before its task starts
   * (a value that cannot be decoded, such as a reference to a released object in an abort
   * reason) is answered with its error, or dropped if it has no reply (cancel, release).
   */
  private onMessage(message: Message | UndeliverableNotice): void {
    // A message this thread could not deserialize (see shm/ring.ts): the caller knows which calls are pending.
    if (message.t === "undeliverable") {
      this.replies.postRequest(0, { op: "undeliverable", reason: messageOf(message.error) });
      return;
    }
    // The caller's first function: its callback requests must name their call, so calls are
    // tracked from this request on (call-context.ts).
    if (message.functions === true) trackCalls();
    try {
      this.route(message);
    } catch (error) {
      this.releaseUntaken(message);
      if (message.t === "req" && message.id !== 0) this.replies.replyError(message.id, error);
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
        this.run(message, "the module's exports", () => this.operations.importModule(message), (shape) => this.retryableShape(shape as ModuleShape));
        return;
      case "call": {
        const fn = this.targets.exportedFunctionNow(message.target);
        if (fn !== undefined) this.immediate.call(message, fn);
        else this.run(message, `the return value of ${describeTarget(message.target)}`, (state) => this.operations.call(message, state));
        return;
      }
      case "construct":
        this.run(message, `the new ${describeTarget(message.target, "")}`, (state) => this.operations.construct(message, state));
        return;
      case "get":
        this.run(message, `the value of ${describeTarget(message.target, "")}`, (state) => this.operations.get(message, state));
        return;
      case "set":
        this.run(message, "the assignment", (state) => this.operations.set(message, state));
        return;
      case "start":
        this.run(message, `a value yielded by ${describeTarget(message.target)}`, (state) => this.operations.startIteration(message, state), undefined, true);
        return;
      case "iter":
        if (message.how === "next" && message.readAhead === undefined && this.immediate.step(message)) return;
        this.run(message, "a yielded value", () => this.operations.stepIteration(message), undefined, true);
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
        this.replies.postRequest(0, message);
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
        this.replies.replyError(message.id, new ReferenceLostError(`this worker does not handle "${message.op}" requests`));
    }
  }

  /**
   * Run one request as a task of its own, inside its call context (its id and AbortSignal, see
   * call-context.ts), and post the reply when it settles.
   */
  private run(request: Request, what: string, task: (state: CallState) => Promise<unknown>, fallback?: (value: unknown) => unknown, step = false): void {
    const controller = new CallState(request.id);
    inCall(controller, () => {
      const settled = task(controller).then(
        (value) => {
          this.running.delete(request.id);
          if (step) this.replies.replyStep(request, value as StepReply, what);
          else this.replies.replyValue(request.id, value, what, fallback);
        },
        (error: unknown) => {
          this.running.delete(request.id);
          this.releaseUntaken(request);
          this.replies.replyError(request.id, error);
        },
      ).catch((error: unknown) => this.replies.replyLastResort(request.id, error));
      this.running.set(request.id, { controller, settled });
    });
  }

  /**
   * A request that failed before its payload was read (its target is gone, or is no longer a
   * function) never adopted the caller's functions it carries: release them, or the caller would
   * keep them registered for good.
   */
  private releaseUntaken(request: Message): void {
    if ((request.encoded !== true && request.packed !== true) || this.takenIn.has(request)) return;
    this.takenIn.add(request);
    const payload = "args" in request ? request.args : "value" in request ? request.value : undefined;
    const handles = request.packed === true ? (request.carried ?? []) : carriedIds(payload, CALLER_REFERENCES);
    if (handles.length > 0) this.replies.postRequest(0, { op: "release", handles });
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
    return { handles: this.tables.handles.size, running, heapUsed: process.memoryUsage().heapUsed, transport: this.transport.stats() };
  }

  private decode<T>(request: Request, value: T): T {
    return this.receivePayload(request, value, "the value sent") as T;
  }

  /**
   * A payload from the caller, unpacked and decoded. If this thread cannot take it in, a
   * DataCloneError for this request alone, and the caller's functions it carries are released.
   */
  private receivePayload(message: Message, payload: unknown, what: string): unknown {
    if (message.encoded === true || message.packed === true) this.takenIn.add(message);
    let value: unknown;
    try {
      value = unpack(payload, message.packed, what);
    } catch (error) {
      if (message.carried !== undefined && message.carried.length > 0) this.replies.postRequest(0, { op: "release", handles: message.carried });
      throw error;
    }
    try {
      return message.encoded ? decodeValue(value, this.decodeHooks) : value;
    } catch (error) {
      throw isStackOverflow(error) ? receiveFailure(what, error) : error;
    }
  }
}
