/**
 * Which call a piece of implementation code is serving. Every request runs inside an
 * AsyncLocalStorage context, so concurrent calls never see each other's state, and code deep in the
 * implementation can read its call's AbortSignal.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface CallContext {
  /** The caller's id of the request (unique per caller connection; useful in logs). */
  readonly id: number;
  /** Aborted when the caller cancels the call, its timeout passes, or Ctrl-C interrupts it. */
  readonly signal: AbortSignal;
  /**
   * Set while a generator runs ahead of its consumer (read-ahead): the handle id of its iterator.
   * Its callbacks then name the iterator, since the request that started the pump may be long
   * answered while the caller blocks on a later step of the same iterator.
   */
  readonly iterator?: number;
}

/**
 * The context of one call. Its AbortController is created only when someone asks for the signal:
 * creating one per call would cost more than the rest of an async call's handling together.
 */
export class CallState implements CallContext {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  constructor(readonly id: number) {}

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

// One storage per thread, shared by every copy of this module that might be loaded.
const key = Symbol.for("synchronicity.callContext");
export const callStorage: AsyncLocalStorage<CallContext> = ((globalThis as Record<symbol, unknown>)[key] ??= new AsyncLocalStorage<CallContext>()) as AsyncLocalStorage<CallContext>;

/** The call the current code serves, or undefined outside any call (module top level, timers set up earlier). */
export function currentCall(): CallContext | undefined {
  return callStorage.getStore();
}

const never = new AbortController().signal;

/**
 * The AbortSignal of the current call: pass it to fetch, timers, database drivers, so that a
 * cancelled call stops its work. Outside any call, a signal that never aborts.
 */
export function currentSignal(): AbortSignal {
  return callStorage.getStore()?.signal ?? never;
}
