/**
 * The dispatcher's hot paths: requests served at once, without `run`'s async task (dispatcher.ts).
 * A call of a function exported by a loaded module is made with no await before it, and a lockstep
 * `next()` of an iterator that no other step holds is taken at once; a result that is already
 * there is replied in the same turn. Each does what its `run` counterpart does, only sooner.
 */
import type { Request, RequestOf, StepReply } from "../protocol/messages.js";
import { CallState, inCall } from "./call-context.js";
import { settledResult, type Replies } from "./replies.js";
import { isPlainPromise, nativeThen } from "./settling.js";
import { describeTarget, type Callable, type Targets } from "./targets.js";

/** Requests in progress, by the caller's id: the controller that aborts each, and its end. */
export type RunningTasks = Map<number, { controller: CallState; settled: Promise<void> }>;

export class ImmediateRequests {
  constructor(
    private readonly replies: Replies,
    private readonly running: RunningTasks,
    private readonly targets: Targets,
    /** The dispatcher's decoding of a request's payload (it releases what a failed one carried). */
    private readonly decode: <T>(request: Request, value: T) => T,
  ) {}

  /**
   * The hot path of `run` for the most common request, a call of a function exported by a module
   * already loaded: no awaits before the call, and a synchronous function's reply is posted at
   * once. What it does is what `run(request, ..., (state) => this.operations.call(request, state))`
   * does (dispatcher.ts, operations.ts).
   */
  call(request: RequestOf<"call">, fn: Callable): void {
    const id = request.id;
    const state = new CallState(id);
    let result: unknown;
    try {
      result = inCall(state, Reflect.apply, fn, undefined, this.decode(request, request.args));
    } catch (error) {
      this.replies.replyError(id, error);
      return;
    }
    if ((typeof result !== "object" || result === null) && typeof result !== "function") {
      this.replies.replyValue(id, result, () => returnValueOf(request));
      return;
    }
    if (isPlainPromise(result)) {
      // The usual async function's promise: its built-in then runs no user code, so the reply
      // waits on one reaction instead of settledResult's three promises (each also costs a
      // promise-hook call once calls are tracked, see call-context.ts).
      const settled = nativeThen.call(
        result,
        (value: unknown) => this.replyReturned(id, value, request),
        (error: unknown) => this.replyFailed(id, error),
      );
      this.running.set(id, { controller: state, settled });
      return;
    }
    // Anything else (a thenable, a subclass of Promise) is awaited as `await` would, in the call's
    // context, since reading its `then` may run user code.
    const settled = inCall(state, settledResult, result, () => returnValueOf(request)).then(
      (value) => this.replyReturned(id, value, request),
      (error: unknown) => this.replyFailed(id, error),
    );
    this.running.set(id, { controller: state, settled });
  }

  /**
   * The hot path of `run` for a lockstep `next()`, as `call` is for calls: the iterator's next()
   * is called at once, and a settled step is replied at once (see RemoteIteration.nextNow). What
   * it does is what `run(request, ..., () => this.operations.stepIteration(request), undefined, true)`
   * does; false, having done nothing, when the step must wait behind another.
   */
  step(request: RequestOf<"iter">): boolean {
    const iteration = this.targets.iteration(request.iterator);
    if (!iteration.canStepNow) return false;
    const value = this.decode(request, request.value);
    const id = request.id;
    const state = new CallState(id);
    const reply = (stepReply: StepReply): void => {
      this.running.delete(id);
      try {
        this.replies.replyStep(request, stepReply, "a yielded value");
      } catch (error) {
        this.replies.replyLastResort(id, error);
      }
    };
    const taken = inCall(state, () => iteration.nextNow(value, reply));
    if (taken !== true) this.running.set(id, { controller: state, settled: taken });
    return true;
  }

  /** A call's promise fulfilled: its reply (never throws, since nothing would catch it). */
  private replyReturned(id: number, value: unknown, request: RequestOf<"call">): void {
    this.running.delete(id);
    try {
      this.replies.replyValue(id, value, () => returnValueOf(request));
    } catch (error) {
      this.replies.replyLastResort(id, error);
    }
  }

  /** A call's promise rejected: its reply (never throws). */
  private replyFailed(id: number, error: unknown): void {
    this.running.delete(id);
    try {
      this.replies.replyError(id, error);
    } catch (last) {
      this.replies.replyLastResort(id, last);
    }
  }
}

/** What a call's reply carries, for a DataCloneError that names it (made only on failure). */
function returnValueOf(request: RequestOf<"call">): string {
  return `the return value of ${describeTarget(request.target)}`;
}
