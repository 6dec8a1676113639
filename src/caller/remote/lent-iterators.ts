/**
 * Iterators of the caller lent to the worker: a generator (or async iterable, or plain object with
 * an iteration protocol) passed as an argument, or returned by a callback. It stays in this thread;
 * the worker receives an async iterator whose every step is a callback request that this thread
 * serves by stepping the original. So the same rules as for callbacks hold: during a blocking call
 * the steps must be synchronous (a sync generator), with `.aio` they may be async.
 */
import { isIteratorLike } from "../../protocol/iterables.js";

type Step = "next" | "return" | "throw";
type AnyIterator = {
  next(value?: unknown): unknown;
  return?(value?: unknown): unknown;
  throw?(error?: unknown): unknown;
};

export { isIteratorLike as isLendableIterator };

/**
 * The function the worker calls to step `source`: `(how, value)` gives the iterator's result, as
 * `iterator[how](value)` would. The iterator itself is taken from `source` at the first step.
 */
export interface Stepper {
  (how: Step, value?: unknown): unknown;
  /** Whether the worker took a step (a lent iterator it never touched is not closed). */
  readonly started: boolean;
}

export function stepperFor(source: object): Stepper {
  let iterator: AnyIterator | undefined;
  const acquire = (): AnyIterator => {
    if (iterator !== undefined) return iterator;
    const s = source as AnyIterator & Record<symbol, unknown>;
    if (typeof s.next === "function") iterator = s;
    else if (typeof s[Symbol.asyncIterator] === "function") iterator = (s[Symbol.asyncIterator] as () => AnyIterator).call(s);
    else iterator = (s[Symbol.iterator] as () => AnyIterator).call(s);
    return iterator;
  };
  const step = (how: Step, value?: unknown): unknown => {
    const it = acquire();
    if (how === "next") return it.next(value);
    if (how === "return") return typeof it.return === "function" ? it.return(value) : { done: true, value };
    if (typeof it.throw === "function") return it.throw(value);
    // No throw(): close it, then the error surfaces, as for...of does.
    it.return?.();
    throw value;
  };
  return Object.defineProperty(step, "started", { get: () => iterator !== undefined }) as Stepper;
}

/** Close a lent iterator the worker let go of without finishing it (its `finally` runs here). */
export function closeLent(step: Stepper): void {
  if (!step.started) return;
  try {
    const result = step("return");
    if (typeof (result as { then?: unknown } | undefined)?.then === "function") (result as Promise<unknown>).catch(() => {});
  } catch {
    // Closing is best effort: the worker is done with it.
  }
}
