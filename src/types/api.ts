/**
 * The types of wrapped APIs: what `wrapModule<typeof import("./impl.js")>` returns, computed from
 * the implementation's own types, so that `api.square(4)` is a `number` where the implementation
 * returns `Promise<number>`.
 */
import type { Future } from "../caller/future.js";
import type { CallOptions } from "../caller/callable.js";

/** A wrapped function: blocking when called, with `.aio` and `.future` forms. */
export interface BlockingFunction<A extends unknown[], R> {
  (...args: A): R;
  /** The same call, as a Promise: never blocks the caller's event loop. */
  aio(...args: A): Promise<R>;
  /** The same call, started now: `.result()` blocks for the value, `await` works too. */
  future(...args: A): Future<R>;
  /** The same forms, with options for the calls made through them. */
  with(options: CallOptions): BlockingFunction<A, R>;
}

/** An iterator living in the worker: `for...of` blocks for each item, `for await` does not. */
export type RemoteIterable<Y, R = unknown, N = unknown> = Generator<Y, R, N> & {
  [Symbol.asyncIterator](): AsyncGenerator<Y, R, N>;
};

/** A wrapped generator function: the blocking form returns a Generator, `.aio` an AsyncGenerator. */
export interface GeneratorFunction<A extends unknown[], Y, R, N> {
  (...args: A): RemoteIterable<Y, R, N>;
  aio(...args: A): AsyncGenerator<Y, R, N>;
  with(options: CallOptions): GeneratorFunction<A, Y, R, N>;
}

type Primitive = string | number | bigint | boolean | symbol | null | undefined;
/** Values structured clone copies as they are. */
type Copied = Primitive | Date | RegExp | ArrayBufferLike | ArrayBufferView | Blob | Error;

/**
 * What a value returned from the worker becomes in the caller: copied data stays as it is,
 * iterables become iterators living in the worker, at any depth.
 */
export type Remote<V> = V extends Copied
  ? V
  : V extends AsyncGenerator<infer Y, infer R, infer N>
    ? RemoteIterable<Y, R, N>
    : V extends Generator<infer Y, infer R, infer N>
      ? RemoteIterable<Y, R, N>
      : V extends ReadableStream<infer Y>
        ? RemoteIterable<Y, undefined, undefined>
        : V extends AsyncIterable<infer Y>
          ? RemoteIterable<Y, unknown, undefined>
          : V extends Map<infer K, infer T>
            ? Map<Remote<K>, Remote<T>>
            : V extends Set<infer T>
              ? Set<Remote<T>>
              : V extends object
                ? { [K in keyof V]: Remote<V[K]> }
                : V;

/** What one export becomes. */
export type Wrapped<T> = T extends abstract new (...args: never) => unknown
  ? T
  : T extends (...args: infer A) => AsyncGenerator<infer Y, infer R, infer N>
    ? GeneratorFunction<A, Y, R, N>
    : T extends (...args: infer A) => Generator<infer Y, infer R, infer N>
      ? GeneratorFunction<A, Y, R, N>
      : T extends (...args: infer A) => infer R
        ? BlockingFunction<A, Remote<Awaited<R>>>
        : T;

/** The wrapped view of a whole module: `Api<typeof import("./impl.js")>`. */
export type Api<M> = { readonly [K in keyof M]: Wrapped<M[K]> };
