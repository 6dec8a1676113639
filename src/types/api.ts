/**
 * The types of wrapped APIs: what `wrapModule<typeof import("./impl.js")>` returns, computed from
 * the implementation's own types. Async functions become blocking ones (`Promise<T>` -> `T`) with
 * `.aio` and `.future` forms, classes become proxy classes whose instances are blocking views of
 * the worker's objects, generators become iterators, and all of it applies to values at any depth.
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
type AnyFunction = (...args: never[]) => unknown;

/** Arguments: a proxy may be passed where the implementation expects its object. */
export type Arguments<A extends unknown[]> = { [I in keyof A]: A[I] | Remote<A[I]> };

/** What a function or method of the worker becomes. */
export type Method<F> = F extends (...args: infer A) => AsyncGenerator<infer Y, infer R, infer N>
  ? GeneratorFunction<Arguments<A>, Remote<Y>, Remote<R>, N>
  : F extends (...args: infer A) => Generator<infer Y, infer R, infer N>
    ? GeneratorFunction<Arguments<A>, Remote<Y>, Remote<R>, N>
    : F extends (...args: infer A) => infer R
      ? BlockingFunction<Arguments<A>, Remote<Awaited<R>>>
      : never;

/** Blocking twins of the async protocols an object implements. */
type Protocols<T> = (T extends AsyncDisposable | Disposable ? Disposable & AsyncDisposable : unknown) &
  (T extends AsyncIterable<infer Y> ? { [Symbol.iterator](): RemoteIterable<Remote<Y>>; [Symbol.asyncIterator](): AsyncGenerator<Remote<Y>> } : unknown) &
  (T extends Iterable<infer Y> ? { [Symbol.iterator](): RemoteIterable<Remote<Y>>; [Symbol.asyncIterator](): AsyncGenerator<Remote<Y>> } : unknown);

/**
 * The blocking view of an object living in the worker: methods block (with `.aio` and `.future`),
 * properties and getters read through (a getter returning a promise reads as its value).
 */
export type Blocking<T> = {
  [K in keyof T as K extends symbol ? never : K]: T[K] extends AnyFunction ? Method<T[K]> : Remote<Awaited<T[K]>>;
} & Protocols<T>;

/**
 * What a value from the worker becomes in the caller: copied data stays as it is, iterables become
 * iterators living in the worker, functions and objects become proxies, at any depth.
 */
export type Remote<V> = V extends Copied
  ? V
  : V extends abstract new (...args: never) => Error
    ? V
    : V extends abstract new (...args: never) => unknown
      ? BlockingClass<V> // a class arrives as the caller's class for it (api.getClass() === api.MyClass)
  : V extends AsyncGenerator<infer Y, infer R, infer N>
    ? RemoteIterable<Remote<Y>, Remote<R>, N>
    : V extends Generator<infer Y, infer R, infer N>
      ? RemoteIterable<Remote<Y>, Remote<R>, N>
      : V extends ReadableStream<infer Y>
        ? RemoteIterable<Remote<Y>, undefined, undefined>
        : V extends AnyFunction
          ? Method<V>
          : V extends Map<infer K, infer T>
            ? Map<Remote<K>, Remote<T>>
            : V extends Set<infer T>
              ? Set<Remote<T>>
              : V extends readonly unknown[]
                ? { [I in keyof V]: Remote<V[I]> }
                : V extends AsyncIterable<infer Y>
                  ? keyof V extends typeof Symbol.asyncIterator
                    ? RemoteIterable<Remote<Y>, unknown, undefined>
                    : Blocking<V>
                  : V extends object
                    ? Blocking<V>
                    : V;

/** What an exported class becomes: `new` builds the object in the worker and returns its blocking view. */
export type BlockingClass<C extends abstract new (...args: never) => unknown> = {
  new (...args: Arguments<ConstructorParameters<C>>): Remote<InstanceType<C>>;
} & {
  [K in keyof C as K extends "prototype" ? never : K]: C[K] extends AnyFunction ? Method<C[K]> : Remote<Awaited<C[K]>>;
};

/** What one export becomes. */
export type Wrapped<T> = T extends abstract new (...args: never) => Error
  ? T
  : T extends abstract new (...args: never) => unknown
    ? BlockingClass<T>
    : T extends AnyFunction
      ? Method<T>
      : Remote<T>;

/** The wrapped view of a whole module: `Api<typeof import("./impl.js")>`. */
export type Api<M> = { readonly [K in keyof M]: Wrapped<M[K]> };
