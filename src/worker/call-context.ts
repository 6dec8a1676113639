/**
 * Which call a piece of implementation code is serving. Once calls are tracked (below), every
 * request runs inside an AsyncLocalStorage context, so concurrent calls never see each other's
 * state, and code deep in the implementation can read its call's AbortSignal.
 *
 * Calls are tracked only once something can read the context. On Node 20 the first
 * AsyncLocalStorage.run turns on V8's promise hooks for the thread's lifetime, which then cost
 * every promise a hook call: half of a small generator item's time in the worker. Two things read
 * it: implementation code, through `synchronicity-js/worker` (whose entry point calls trackCalls()
 * when it is loaded, see scripts/build.mjs), and the proxies of the caller's functions, whose
 * requests name the call they serve (callbacks.ts; the dispatcher calls trackCalls() when a message
 * carrying the caller's functions arrives, before it runs the request).
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

/** Whether calls are tracked, and who wants to know when they start to be; shared like the storage. */
interface Tracking {
  on: boolean;
  readonly listeners: Array<() => void>;
}
const trackingKey = Symbol.for("synchronicity.callTracking");
const tracking = ((globalThis as Record<symbol, unknown>)[trackingKey] ??= { on: false, listeners: [] }) as Tracking;

/**
 * From now on, run every request inside its call context. Calls already running stay outside it
 * (their code sees no current call); `whenCallsTracked` listeners learn of the switch at once.
 */
export function trackCalls(): void {
  if (tracking.on) return;
  tracking.on = true;
  for (const listener of tracking.listeners.splice(0)) listener();
}

/** Whether requests now run inside their call context. */
export function callsTracked(): boolean {
  return tracking.on;
}

/** Run `listener` once, when calls start to be tracked (never, if they already are). */
export function whenCallsTracked(listener: () => void): void {
  if (!tracking.on) tracking.listeners.push(listener);
}

/** `fn(...args)`, inside `context` once calls are tracked. */
export function inCall<A extends unknown[], R>(context: CallContext, fn: (...args: A) => R, ...args: A): R {
  return tracking.on ? callStorage.run(context, fn, ...args) : fn(...args);
}

/**
 * The call the current code serves, or undefined outside any call (module top level, timers set up
 * earlier, and calls that started before `synchronicity-js/worker` was first loaded).
 */
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
