/**
 * What each request does to the implementation once the dispatcher has made it a task
 * (dispatcher.ts): import a module, call, construct, read or assign a member, start or step an
 * iterator. Each returns what the reply carries; the dispatcher routes, runs, replies and cancels.
 *
 * Apart from dispatcher.ts so that the request loop (which requests exist, how a task runs and is
 * answered, what a failed one releases) reads on its own, and each operation here reads as the one
 * thing it does. The hot paths that serve some of these requests without a task are in immediate.ts.
 *
 * The tasks below wait for their target (a module still loading) before they run the
 * implementation's code, and enter the call context again there: loading that module may be what
 * turned call tracking on (it imports synchronicity-js/worker), after `run` looked.
 */
import type { Request, RequestOf, StepReply } from "../protocol/messages.js";
import { describeType } from "../protocol/describe.js";
import type { Modules } from "./modules.js";
import { sendIterator, type WorkerTables } from "./codec.js";
import { inCall, type CallState } from "./call-context.js";
import { Disposals } from "./disposal.js";
import { settledResult } from "./replies.js";
import { asSteppable, describeTarget, type Targets } from "./targets.js";

export class Operations {
  constructor(
    private readonly modules: Modules,
    private readonly targets: Targets,
    private readonly tables: WorkerTables,
    private readonly disposals: Disposals,
    /** The dispatcher's decoding of a request's payload (it releases what a failed one carried). */
    private readonly decode: <T>(request: Request, value: T) => T,
  ) {}

  async importModule(request: RequestOf<"import">): Promise<unknown> {
    const module = await this.modules.load(request.module, request.specifier, request.inPlace === true, request.setup === true);
    return this.modules.describe(module);
  }

  async call(request: RequestOf<"call">, state: CallState): Promise<unknown> {
    const { fn, thisArg } = await this.targets.resolveCallable(request.target);
    // A second dispose of the same object (using, then close) does nothing.
    if (Disposals.isDisposeCall(request.target) && !this.disposals.claim(thisArg as object)) return undefined;
    const args = this.decode(request, request.args);
    return await inCall(state, () => settledResult(Reflect.apply(fn, thisArg, args), `the return value of ${describeTarget(request.target)}`));
  }

  async construct(request: RequestOf<"construct">, state: CallState): Promise<unknown> {
    const { fn } = await this.targets.resolveCallable(request.target);
    const args = this.decode(request, request.args);
    return inCall(state, () => Reflect.construct(fn, args));
  }

  /** Read a property: an export, a static member, or a member of an object (getters run here, and are awaited). */
  async get(request: RequestOf<"get">, state: CallState): Promise<unknown> {
    const { owner, key } = await this.targets.resolveMember(request.target);
    return await inCall(state, () => settledResult((owner as Record<string | symbol, unknown>)[key], `the value of ${describeTarget(request.target, "")}`));
  }

  async set(request: RequestOf<"set">, state: CallState): Promise<void> {
    const { owner, key } = await this.targets.resolveMember(request.target);
    const value = this.decode(request, request.value);
    inCall(state, () => {
      (owner as Record<string | symbol, unknown>)[key] = value;
    });
  }

  /** Call a generator function and take the first step in the same round trip. */
  async startIteration(request: RequestOf<"start">, state: CallState): Promise<StepReply> {
    const { fn, thisArg } = await this.targets.resolveCallable(request.target);
    const args = this.decode(request, request.args);
    return await inCall(state, async () => {
      const returned: unknown = Reflect.apply(fn, thisArg, args);
      const iterator = asSteppable(returned);
      if (iterator === undefined) {
        throw new TypeError(`${describeTarget(request.target)} did not return an iterator (it returned ${describeType(returned)})`);
      }
      const id = sendIterator(this.tables, iterator);
      const reply = await this.targets.iteration(id).step("next", undefined, request.readAhead ?? 0);
      return { ...reply, iterator: id };
    });
  }

  stepIteration(request: RequestOf<"iter">): Promise<StepReply> {
    return this.targets.iteration(request.iterator).step(request.how, this.decode(request, request.value), request.readAhead ?? 0);
  }
}
