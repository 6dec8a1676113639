/**
 * A Future is the result of `f.future(...)`: the call is already running in the worker. It can be
 * waited for in two ways: `result()` blocks this thread (and settles every other reply that
 * arrives meanwhile), `await future` waits without blocking.
 */
import { InterruptedError, TimeoutError } from "../../errors.js";
import type { RequestOp } from "../../protocol/messages.js";
import type { CallControl, Connection } from "../wire/connection.js";
import type { PendingCall } from "../wire/pending.js";
import { withCallerFrames } from "../support/stack.js";
import { captureSite } from "../support/site.js";
import { nowMs } from "../../protocol/clock.js";

export class Future<T> implements PromiseLike<T> {
  readonly #call: PendingCall;
  readonly #connection: Connection;
  #promise: Promise<T> | undefined;

  /** @internal Futures are made by `.future(...)`, not by users. */
  constructor(call: PendingCall, connection: Connection) {
    this.#call = call;
    this.#connection = connection;
  }

  /** @internal Send `op` and return its Future, limited by `control` (timeout, AbortSignal). */
  static start<T>(connection: Connection, op: RequestOp, control: CallControl): Future<T> {
    control.signal?.throwIfAborted();
    const call = connection.send(op, true, "future");
    connection.limit(call, control);
    const future = new Future<T>(call, connection);
    future.#control = control;
    if (control.timeoutMs !== undefined) future.#deadline = nowMs() + control.timeoutMs;
    return future;
  }

  /** The call's own timeout and signal, which `result()` must honour itself: their timers need the event loop it blocks. */
  #control: CallControl = {};
  #deadline = Infinity;

  /**
   * Cancel the call: the future fails at once with `reason` (an AbortError by default), and the
   * worker aborts the task's AbortSignal. Does nothing if the call has finished.
   */
  cancel(reason: unknown = new DOMException("the call was cancelled", "AbortError")): void {
    this.#connection.stop(this.#call, reason);
  }

  /** Whether the call has finished (with a value or an error). */
  get done(): boolean {
    return this.#call.settled !== undefined;
  }

  /**
   * Block until the call finishes and return its value (or throw its error).
   * With `timeoutMs`, throw a TimeoutError if it has not finished by then; the future stays usable.
   */
  result(timeoutMs?: number): T {
    if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || Number.isNaN(timeoutMs) || timeoutMs < 0)) {
      throw new TypeError(`Future.result: timeoutMs must be a non-negative number, not ${String(timeoutMs)}`);
    }
    const callRemaining = this.#deadline - nowMs();
    const ended = this.#connection.waitFor(this.#call, Math.min(timeoutMs ?? Infinity, callRemaining), this.#control.signal);
    if (ended === "interrupted") throw new InterruptedError("the wait was interrupted by Ctrl-C (SIGINT)");
    if (ended === "aborted") throw this.#connection.stop(this.#call, this.#control.signal!.reason);
    if (ended === "timeout") {
      // The call's own timeout: the call is over. Only the wait's timeout leaves the future usable.
      if (nowMs() >= this.#deadline) {
        throw this.#connection.stop(this.#call, new TimeoutError(`the call did not finish within ${this.#control.timeoutMs} ms; it was cancelled`));
      }
      throw new TimeoutError(`the call did not finish within ${timeoutMs} ms`);
    }
    const outcome = this.#call.settled!;
    if (outcome.ok) return outcome.value as T;
    throw withCallerFrames(outcome.error, captureSite());
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this.#promise === undefined) {
      // The site of the first `then` (an `await future`), captured now: not at `.future()`, which
      // would cost a stack capture on every call, most of them awaited with result() instead.
      const site = captureSite();
      this.#promise = this.#call.promise().catch((error: unknown) => {
        throw withCallerFrames(error, site);
      }) as Promise<T>;
    }
    return this.#promise.then(onFulfilled, onRejected);
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onFinally);
  }

  get [Symbol.toStringTag](): string {
    return "Future";
  }
}
