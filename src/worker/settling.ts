/**
 * Waiting for a value as `await` would, without an async function: the worker's hot paths
 * (immediate.ts, the iterators' pump in read-ahead.ts) reply from a reaction instead of a chain of
 * promises.
 * What `await` does is kept: a thenable's `then` is read once, and one that is not the built-in
 * `then` of a plain promise is called in a job of its own.
 */
import { types } from "node:util";

/** The built-in then, taken at start-up: a later patch of Promise.prototype.then is user code. */
export const nativeThen: (this: Promise<unknown>, onFulfilled: (value: unknown) => void, onRejected: (error: unknown) => void) => Promise<void> =
  Promise.prototype.then;

/**
 * A promise made by this realm's Promise (not a subclass, no own `then`), while the built-in then
 * is in place: waiting on it runs no user code, so its reactions need no call context.
 */
export function isPlainPromise(value: object): value is Promise<unknown> {
  // isPromise first: it is false for a Proxy, whose traps the checks after it would run.
  return types.isPromise(value) && Object.getPrototypeOf(value) === Promise.prototype && Promise.prototype.then === nativeThen && !Object.hasOwn(value, "then");
}

type Then = (resolve: (value: unknown) => void, reject: (error: unknown) => void) => unknown;

/** The `then` method of a thenable (read once, as `await` reads it), or undefined for a value that `await` gives back as it is. */
export function thenOf(value: unknown): Then | undefined {
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return undefined;
  const then = (value as { then?: unknown }).then;
  return typeof then === "function" ? (then as Then) : undefined;
}

/** What `await value` gives for a thenable whose `then` has been read: through a job of its own, as `await` calls it. */
export function settle(value: unknown, then: Then): Promise<unknown> {
  if (then === nativeThen && value instanceof Promise) return value as Promise<unknown>;
  return Promise.resolve().then(() => new Promise((resolve, reject) => Reflect.apply(then, value, [resolve, reject])));
}

/**
 * Call `onValue` with what `await value` gives, or `onError` with what it throws: at once for a
 * value that is not a thenable (where `await` would take a microtask turn), else once it settles.
 */
export function whenSettled(value: unknown, onValue: (value: unknown) => void, onError: (error: unknown) => void): void {
  let then: Then | undefined;
  try {
    then = thenOf(value);
  } catch (error) {
    onError(error);
    return;
  }
  if (then === undefined) onValue(value);
  // (A borrowed Promise.prototype.then on an object that is no promise would throw here: the job path.)
  else if (then === nativeThen && value instanceof Promise) void (Reflect.apply(nativeThen, value, [onValue, onError]) as Promise<void>);
  else void settle(value, then).then(onValue, onError);
}
