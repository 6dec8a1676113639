/**
 * Which values cross as iterators rather than being copied. Both sides need the same answer: the
 * worker sends such values as remote iterators, the caller lends its own to the worker.
 */
export type AnyIterator = {
  next(value?: unknown): unknown;
  return?(value?: unknown): unknown;
  throw?(error?: unknown): unknown;
};

const tag = (value: object) => Object.prototype.toString.call(value);

/** Whether a value crosses as a remote iterator rather than being copied. */
export function isIteratorLike(value: object): boolean {
  const kind = tag(value);
  if (kind === "[object Generator]" || kind === "[object AsyncGenerator]") return true;
  if (/^\[object .+ Iterator\]$/.test(kind) && typeof (value as AnyIterator).next === "function") return true;
  // The global is read only for what says it is a ReadableStream: its first read loads Node's web
  // streams (1-5 ms), which the first message carrying an object used to pay, on either side.
  if (kind === "[object ReadableStream]" && typeof ReadableStream === "function" && value instanceof ReadableStream) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === "function" || typeof (value as Record<symbol, unknown>)[Symbol.iterator] === "function";
}

/** Whether the caller should see it as an async iterator (for...await) first. */
export function isAsyncIteratorLike(value: object): boolean {
  return typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === "function";
}
